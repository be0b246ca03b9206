#include "reports/tests/png_image.hpp"

#include <zlib.h>

#include <cstdlib>
#include <cstring>

namespace aoeh::reports::testing {
namespace {
constexpr std::string_view kSignature = "\x89PNG\r\n\x1a\n";

std::uint32_t be32(std::string_view s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

std::uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return static_cast<std::uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// Predictor for byte i of a row (bpp bytes per pixel) given the current and previous raw rows.
std::uint8_t predict(std::uint8_t filter, const std::uint8_t* row, const std::uint8_t* prev, std::size_t i, std::size_t bpp) {
  const int a = i >= bpp ? row[i - bpp] : 0, b = prev ? prev[i] : 0, c = (i >= bpp && prev) ? prev[i - bpp] : 0;
  switch (filter) {
    case 1: return static_cast<std::uint8_t>(a);
    case 2: return static_cast<std::uint8_t>(b);
    case 3: return static_cast<std::uint8_t>((a + b) / 2);
    case 4: return paeth(a, b, c);
    default: return 0;
  }
}

std::nullopt_t bad(std::string* error, const char* why) {
  if (error) *error = why;
  return std::nullopt;
}

void put32(std::string& s, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xFF);
}

void chunk(std::string& out, const char* type, const std::string& data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  const std::string body = std::string(type, 4) + data;
  out += body;
  put32(out, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}
}  // namespace

std::optional<PngImage> decode_png(std::string_view file, std::string* error) {
  if (file.substr(0, 8) != kSignature) return bad(error, "not a PNG (bad signature)");
  PngImage img;
  std::uint8_t colour_type = 0;
  std::string idat;
  bool ended = false;
  for (std::size_t at = 8; at + 12 <= file.size() && !ended;) {
    const std::uint32_t len = be32(file, at);
    const std::string_view type = file.substr(at + 4, 4);
    if (at + 12 + std::size_t{len} > file.size()) return bad(error, "truncated chunk");
    const std::string_view data = file.substr(at + 8, len);
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(file.data() + at + 4), len + 4);
    if (crc != be32(file, at + 8 + len)) return bad(error, "chunk CRC mismatch");
    if (type == "IHDR") {
      if (len != 13) return bad(error, "bad IHDR");
      img.width = be32(data, 0);
      img.height = be32(data, 4);
      colour_type = static_cast<std::uint8_t>(data[9]);
      if (data[8] != 8 || (colour_type != 2 && colour_type != 6) || data[12] != 0)
        return bad(error, "unsupported PNG kind (want 8-bit RGB/RGBA, not interlaced)");
    } else if (type == "IDAT") {
      idat.append(data);
    } else if (type == "IEND") {
      ended = true;
    }
    at += 12 + len;
  }
  if (!ended || img.width == 0 || img.height == 0) return bad(error, "missing IHDR, IDAT or IEND");
  const std::size_t bpp = colour_type == 6 ? 4 : 3, stride = std::size_t{img.width} * bpp;
  std::vector<std::uint8_t> raw((stride + 1) * img.height);
  uLongf raw_len = static_cast<uLongf>(raw.size());
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), static_cast<uLong>(idat.size())) != Z_OK ||
      raw_len != raw.size())
    return bad(error, "image data does not inflate to width x height");
  std::vector<std::uint8_t> rows(stride * img.height);
  for (std::uint32_t y = 0; y < img.height; ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    if (filter > 4) return bad(error, "bad row filter");
    const std::uint8_t* in = &raw[y * (stride + 1) + 1];
    std::uint8_t* row = &rows[y * stride];
    const std::uint8_t* prev = y ? &rows[(y - 1) * stride] : nullptr;
    for (std::size_t i = 0; i < stride; ++i) row[i] = static_cast<std::uint8_t>(in[i] + predict(filter, row, prev, i, bpp));
  }
  img.rgba.resize(std::size_t{img.width} * img.height * 4);
  for (std::size_t p = 0; p < std::size_t{img.width} * img.height; ++p) {
    std::memcpy(&img.rgba[p * 4], &rows[p * bpp], 3);
    img.rgba[p * 4 + 3] = bpp == 4 ? rows[p * bpp + 3] : 255;
  }
  return img;
}

std::string encode_png(const PngImage& image, const std::vector<std::uint8_t>& filters) {
  const std::size_t stride = std::size_t{image.width} * 4;
  std::string raw;
  for (std::uint32_t y = 0; y < image.height; ++y) {
    const std::uint8_t filter = filters[y % filters.size()];
    const std::uint8_t* row = &image.rgba[y * stride];
    const std::uint8_t* prev = y ? &image.rgba[(y - 1) * stride] : nullptr;
    raw += static_cast<char>(filter);
    for (std::size_t i = 0; i < stride; ++i) raw += static_cast<char>(row[i] - predict(filter, row, prev, i, 4));
  }
  uLongf len = compressBound(static_cast<uLong>(raw.size()));
  std::string z(len, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &len, reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()));
  z.resize(len);
  std::string ihdr;
  put32(ihdr, image.width);
  put32(ihdr, image.height);
  ihdr += std::string("\x08\x06\x00\x00\x00", 5);
  std::string out(kSignature);
  chunk(out, "IHDR", ihdr);
  chunk(out, "IDAT", z);
  chunk(out, "IEND", "");
  return out;
}

}  // namespace aoeh::reports::testing
