#pragma once
#include <ostream>

namespace aoeh::cli {
// Encodes and parses one frame of every kind; prints each result. Returns 0 when all round-trip.
int run_selftest(std::ostream& out);
}  // namespace aoeh::cli
