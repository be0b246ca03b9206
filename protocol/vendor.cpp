#include "protocol/vendor.hpp"

#include <algorithm>
#include <cstring>

namespace aoeh::proto {

std::size_t encode_vendor(MutableByteSpan out, const Header& h, ByteSpan payload, bool pad) {
  const std::size_t length = kHeaderSize + payload.size();
  if (out.size() < std::max(length, pad ? kMinFrameSize : std::size_t{0})) return 0;
  store_header(out.data(), h);
  if (!payload.empty()) std::memcpy(out.data() + kHeaderSize, payload.data(), payload.size());
  return pad_frame(out, length, pad);
}

}  // namespace aoeh::proto
