#pragma once
// Field-by-field comparison of parsed messages and bounds checks of their views; shared by the
// tests and the fuzz targets.
#include <string>

#include "protocol/frame.hpp"

namespace aoeh::proto::testing {

// Empty when `a` and `b` carry the same fields (views compared by content; bytes a parser ignores,
// such as ATA raw_arg and directive reserved bytes, are not fields). Otherwise the first difference.
std::string message_difference(const Message& a, const Message& b);

// Empty when every view of `m` lies inside `frame`, else which view escapes.
std::string view_outside(const Message& m, ByteSpan frame);

}  // namespace aoeh::proto::testing
