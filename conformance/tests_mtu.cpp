// MTU and payload per path: the advertised sector count must work on every path, and should use it.
#include "conformance/test_support.hpp"

namespace aoeh::conformance {
using namespace support;
namespace {

// The ATA frame (with Ethernet header) that carries `n` sectors.
std::size_t frame_for(std::uint32_t n) { return proto::kAtaHeaderSize + std::size_t{n} * proto::kSectorSize; }

// aoe-sancheck style: a Query Config read padded to `length` bytes; true when answered.
bool padded_probe_answered(TestContext& t, const std::string& port, std::size_t length) {
  auto frame = qc_frame(t, proto::ConfigCommand::Read, {}, port);
  frame.resize(length, 0);
  return t.transact(frame, fmt::format("Query Config read padded to {} bytes", length), port).has_value();
}

// The most sectors whose frame still gets through `port` to the target (binary search over padded probes).
std::uint32_t largest_sectors_through(TestContext& t, const std::string& port) {
  const std::uint32_t mtu = t.probe().world().port_mtu(port);
  std::uint32_t hi = static_cast<std::uint32_t>(
      std::min<std::size_t>((mtu + proto::kEthernetHeaderSize - proto::kAtaHeaderSize) / proto::kSectorSize, 255));
  std::uint32_t lo = 0;  // a 36-byte frame always fits
  while (lo < hi) {
    const std::uint32_t mid = (lo + hi + 1) / 2;
    if (padded_probe_answered(t, port, frame_for(mid)))
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

}  // namespace

void add_mtu_tests(Catalogue& c) {
  c.add({"AOE.Mtu.AdvertisedCountWorksOnEveryPort", "AoEr11 §4 (Sector Count)", MUST, READS, {kNeedIdentify},
         "A read of the advertised sector count succeeds through every port (the reply fits each path)."},
        [](TestContext& t) {
          for (const auto& port : t.ports()) {
            const auto n = static_cast<std::uint8_t>(std::min<std::uint32_t>(t.target().sectors_for(port), 255));
            std::string why;
            const bool ok = t.ops().read_sectors(port, scratch_lba(t), n, &why).has_value();
            t.check(ok, "port " + port + ": " + why);
          }
        });

  c.add({"AOE.Mtu.AdvertisedCountFitsPath", "AoEr11 §4 (Sector Count); aoe-sancheck", MUST, READS, {},
         "Padded probes find the largest frame each path carries; the advertised count fits in it."},
        [](TestContext& t) {
          for (const auto& port : t.ports()) {
            const auto fits = largest_sectors_through(t, port);
            t.note(fmt::format("{}: frames of {} sectors get through", port, fits));
            t.check(t.target().sectors_for(port) <= fits,
                    fmt::format("port {}: {} sectors advertised, but the path carries only {}", port,
                                t.target().sectors_for(port), fits));
          }
        });

  c.add({"AOE.Mtu.AdvertisedCountUsesPath", "AoEr11 §4 (Sector Count)", SHOULD, READS, {},
         "On each port the advertised count is as large as the path allows (no needlessly small frames)."},
        [](TestContext& t) {
          for (const auto& port : t.ports()) {
            const auto fits = largest_sectors_through(t, port);
            t.check(t.target().sectors_for(port) >= fits,
                    fmt::format("port {}: {} sectors advertised; the path carries {}", port, t.target().sectors_for(port), fits));
          }
        });
}

}  // namespace aoeh::conformance
