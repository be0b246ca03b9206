#include "reports/tests/png_image.hpp"

#include <gtest/gtest.h>

namespace aoeh::reports::testing {
namespace {

PngImage gradient(std::uint32_t w, std::uint32_t h) {
  PngImage img{w, h, std::vector<std::uint8_t>(std::size_t{w} * h * 4)};
  for (std::size_t i = 0; i < img.rgba.size(); ++i) img.rgba[i] = static_cast<std::uint8_t>((i * 37 + i / 7 * 11) ^ (i >> 3));
  return img;
}

TEST(PngImage, DecodesEveryRowFilter) {
  const PngImage img = gradient(13, 10);
  for (std::uint8_t filter = 0; filter <= 4; ++filter) {
    std::string error;
    const auto back = decode_png(encode_png(img, {filter}), &error);
    ASSERT_TRUE(back.has_value()) << int(filter) << ": " << error;
    EXPECT_EQ(back->width, 13u);
    EXPECT_EQ(back->height, 10u);
    EXPECT_EQ(back->rgba, img.rgba) << "filter " << int(filter);
  }
  const auto mixed = decode_png(encode_png(img, {0, 1, 2, 3, 4}));
  ASSERT_TRUE(mixed.has_value());
  EXPECT_EQ(mixed->rgba, img.rgba);
}

TEST(PngImage, RejectsDamagedFiles) {
  const std::string good = encode_png(gradient(4, 4), {4});
  std::string error;
  EXPECT_FALSE(decode_png("GIF89a", &error).has_value());
  EXPECT_EQ(error, "not a PNG (bad signature)");
  EXPECT_FALSE(decode_png(good.substr(0, good.size() - 20), &error).has_value());
  std::string flipped = good;
  flipped[40] ^= 0x55;  // inside IDAT: the chunk CRC no longer matches
  EXPECT_FALSE(decode_png(flipped, &error).has_value());
  EXPECT_EQ(error, "chunk CRC mismatch");
}

}  // namespace
}  // namespace aoeh::reports::testing
