// MacAddress and DeviceAddress: both MAC text forms, eS.L, and the inputs they must refuse.
#include <gtest/gtest.h>

#include "protocol/device_address.hpp"
#include "protocol/mac_address.hpp"

namespace aoeh::proto {
namespace {

const MacAddress kA00A{{0x02, 0x00, 0x00, 0x00, 0xa0, 0x0a}};

TEST(MacAddress, ParsesColonDashAndBareHexForms) {
  EXPECT_EQ(MacAddress::parse("02:00:00:00:a0:0a"), kA00A);
  EXPECT_EQ(MacAddress::parse("02-00-00-00-A0-0A"), kA00A);
  EXPECT_EQ(MacAddress::parse("02000000a00a"), kA00A);
  EXPECT_EQ(MacAddress::parse("02000000A00A"), kA00A);
  EXPECT_EQ(MacAddress::parse("ff:ff:ff:ff:ff:ff"), MacAddress::broadcast());
  EXPECT_EQ(MacAddress::parse("000000000000"), MacAddress{});
}

TEST(MacAddress, RefusesMalformedText) {
  for (const char* bad : {"", "02:00:00:00:a0", "02:00:00:00:a0:0a:", "02:00:00:00:a0:0g", "02:00-00:00:a0:0a",
                          "02.00.00.00.a0.0a", "0200000a00a", "02000000a00a0", "02000000a00z", " 02:00:00:00:a0:0a",
                          "02:00:00:00:a0:0a ", "2:0:0:0:a0:a", "02::00:00:00:a0:0a", "02:00:00:00:a00a"}) {
    EXPECT_FALSE(MacAddress::parse(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(MacAddress, FormatsLowercaseInBothForms) {
  const MacAddress m{{0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01}};
  EXPECT_EQ(m.to_string(), "de:ad:be:ef:00:01");
  EXPECT_EQ(m.to_hex(), "deadbeef0001");
  EXPECT_EQ(m.to_u64(), 0xDEADBEEF0001ull);
  EXPECT_EQ(MacAddress::parse(m.to_string()), m);
  EXPECT_EQ(MacAddress::parse(m.to_hex()), m);
}

TEST(MacAddress, Classifies) {
  EXPECT_TRUE(MacAddress::broadcast().is_broadcast());
  EXPECT_TRUE(MacAddress::broadcast().is_multicast());
  EXPECT_TRUE(MacAddress::parse("01:00:5e:00:00:01")->is_multicast());
  EXPECT_FALSE(kA00A.is_multicast());
  EXPECT_FALSE(kA00A.is_zero());
  EXPECT_TRUE(MacAddress{}.is_zero());
  EXPECT_LT(*MacAddress::parse("02:00:00:00:00:01"), *MacAddress::parse("02:00:00:00:00:02"));
}

TEST(MacAddress, StoresAndLoadsWireBytes) {
  std::uint8_t wire[6] = {};
  kA00A.store(wire);
  EXPECT_EQ(wire[0], 0x02);
  EXPECT_EQ(wire[4], 0xa0);
  EXPECT_EQ(wire[5], 0x0a);
  EXPECT_EQ(MacAddress::from(wire), kA00A);
}

TEST(DeviceAddress, ParsesWithAndWithoutThePrefix) {
  EXPECT_EQ(DeviceAddress::parse("e1.2"), (DeviceAddress{1, 2}));
  EXPECT_EQ(DeviceAddress::parse("1.2"), (DeviceAddress{1, 2}));
  EXPECT_EQ(DeviceAddress::parse("e0.0"), (DeviceAddress{0, 0}));
  EXPECT_EQ(DeviceAddress::parse("e65535.255"), DeviceAddress::broadcast());
  EXPECT_EQ(DeviceAddress::parse("e007.03"), (DeviceAddress{7, 3}));
}

TEST(DeviceAddress, RefusesMalformedText) {
  for (const char* bad : {"", "e", "e.", "e1", "e1.", "e.2", "1", ".2", "e65536.0", "e0.256", "e-1.2", "e1.-2",
                          "e1.2.3", "e1,2", "E1.2", "ee1.2", "e 1.2", "e1.2 ", "e+1.2", "e1.0x2", "x1.2",
                          "e99999999999999999999.1"}) {
    EXPECT_FALSE(DeviceAddress::parse(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(DeviceAddress, FormatsAndRoundTrips) {
  EXPECT_EQ((DeviceAddress{7, 3}).to_string(), "e7.3");
  EXPECT_EQ(DeviceAddress::broadcast().to_string(), "e65535.255");
  for (std::uint32_t shelf : {0u, 1u, 4095u, 65535u})
    for (std::uint32_t slot : {0u, 9u, 255u}) {
      const DeviceAddress a{static_cast<std::uint16_t>(shelf), static_cast<std::uint8_t>(slot)};
      EXPECT_EQ(DeviceAddress::parse(a.to_string()), a);
    }
}

TEST(DeviceAddress, MatchesBroadcastShelfAndSlot) {
  const DeviceAddress me{7, 3};
  EXPECT_TRUE(me.matches({7, 3}));
  EXPECT_TRUE(me.matches({kBroadcastShelf, 3}));
  EXPECT_TRUE(me.matches({7, kBroadcastSlot}));
  EXPECT_TRUE(me.matches(DeviceAddress::broadcast()));
  EXPECT_FALSE(me.matches({7, 4}));
  EXPECT_FALSE(me.matches({8, 3}));
  EXPECT_FALSE(me.matches({8, kBroadcastSlot}));
  EXPECT_NE((DeviceAddress{1, 0}).key(), (DeviceAddress{0, 1}).key());
  EXPECT_LT((DeviceAddress{1, 255}), (DeviceAddress{2, 0}));
}

}  // namespace
}  // namespace aoeh::proto
