// aoeh stat, ping, read, write and bench against Debian's vblade on veth pairs in a private
// namespace: sizes, identity, data byte for byte, jumbo frames on the wire, multipath failover.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "live/tests/live_test_support.hpp"
#include "protocol/ata.hpp"
#include "protocol/frame.hpp"
#include "protocol/identify.hpp"
#include "protocol/pcap_file.hpp"
#include "protocol/query_config.hpp"

namespace aoeh::live::testing {
namespace {

using namespace std::chrono_literals;
using proto::DeviceAddress;
using proto::MacAddress;

const std::string kAoeh = AOEH_BINARY;

std::vector<std::uint8_t> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The JSON document in a command's output (stderr lines may precede it).
nlohmann::json json_of(const CommandResult& r) {
  const auto start = r.output.find('{');
  if (start == std::string::npos) return {};
  return nlohmann::json::parse(r.output.substr(start), nullptr, false);
}

// IDENTIFY straight through a RawPort: vblade's identity as the wire carries it, independent of
// the engine and the CLI.
proto::Identity identify_directly(const std::string& ifname, const MacAddress& target, DeviceAddress address) {
  boost::asio::io_context io;
  RawPort port = RawPort::open(io, ifname);
  proto::Header h;
  h.src = port.info().mac;
  h.dst = target;
  h.set_address(address);
  h.command = static_cast<std::uint8_t>(proto::Command::Ata);
  h.tag = 0x7AB1E000;
  std::vector<std::uint8_t> frame(128);
  frame.resize(proto::encode_ata(frame, h, proto::ata_identify_arg()));
  EXPECT_TRUE(port.send(frame));
  proto::Identity id;
  const bool got = receive_until(
      io, port,
      [&](RawPort::Frame f) {
        const auto hdr = proto::parse_header(f);
        if (!hdr.ok() || hdr->tag != h.tag || f.size() < proto::kAtaHeaderSize + 512) return false;
        const auto parsed = proto::parse_identify(f.subspan(proto::kAtaHeaderSize, 512));
        if (parsed.ok()) id = *parsed;
        return parsed.ok();
      },
      5s);
  EXPECT_TRUE(got) << "vblade did not answer IDENTIFY";
  return id;
}

class InitiatorCommandsTest : public LiveTest {};

TEST_F(InitiatorCommandsTest, StatListsVbladeWithItsSize) {
  NetnsFixture ns;
  constexpr std::uint64_t kSectors = 131072 + 3;  // an odd size, so it cannot be a default
  const std::string file = ns.make_backing_file("disk.img", kSectors * 512, 1);
  ns.start_vblade(0, {1, 1}, file);

  const CommandResult json = ns.run_in({kAoeh, "stat", "--iface", "ini0", "--wait", "1", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const auto doc = json_of(json);
  ASSERT_EQ(doc["devices"].size(), 1u) << json.output;
  const auto& d = doc["devices"][0];
  EXPECT_EQ(d["name"], "e1.1");
  EXPECT_EQ(d["sectors"], kSectors);
  EXPECT_EQ(d["state"], "up");
  EXPECT_EQ(d["interfaces"], nlohmann::json::array({"ini0"}));
  EXPECT_EQ(d["payload_bytes"], 1024);
  EXPECT_EQ(d["paths"][0]["mac"], ns.mac_of("tgt0").to_string());

  const CommandResult text = ns.run_in({kAoeh, "stat", "--iface", "ini0", "--wait", "1"});
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_TRUE(std::regex_search(text.output, std::regex(R"(^\s+e1\.1\s+0\.067GB\s+ini0 1024\s+up\n$)"))) << text.output;
}

TEST_F(InitiatorCommandsTest, PingIdentifyMatchesVbladesIdentity) {
  NetnsFixture ns;
  const std::string file = ns.make_backing_file("disk.img", 8 << 20, 2);
  ns.start_vblade(0, {4, 2}, file);
  const proto::Identity wire = identify_directly("ini0", ns.mac_of("tgt0"), {4, 2});
  ASSERT_FALSE(wire.model.view().empty());

  const CommandResult json = ns.run_in({kAoeh, "ping", "--iface", "ini0", "e4.2", "-I", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const auto doc = json_of(json);
  EXPECT_EQ(doc["model"], std::string(wire.model.view()));
  EXPECT_EQ(doc["serial"], std::string(wire.serial.view()));
  EXPECT_EQ(doc["firmware"], std::string(wire.firmware.view()));
  EXPECT_EQ(doc["sectors"], wire.capacity_sectors);
  EXPECT_EQ(doc["sectors"], (8u << 20) / 512);
  EXPECT_EQ(doc["mac"], ns.mac_of("tgt0").to_string());

  const CommandResult text = ns.run_in({kAoeh, "ping", "--iface", "ini0", "e4.2", "-I"});
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("model: " + std::string(wire.model.view()) + "\n"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("serial_number: " + std::string(wire.serial.view()) + "\n"), std::string::npos);
  EXPECT_NE(text.output.find("firmware_rev: " + std::string(wire.firmware.view()) + "\n"), std::string::npos);
}

TEST_F(InitiatorCommandsTest, WriteAndReadBack64MiBMatchByteForByte) {
  NetnsFixture ns;
  constexpr std::uint64_t kBytes = 64ull << 20;
  const std::string disk = ns.make_backing_file("disk.img", kBytes, 3);
  const std::string data = ns.make_backing_file("data.bin", kBytes, 4);
  ns.start_vblade(0, {1, 1}, disk, 64);

  const CommandResult w = ns.run_in({kAoeh, "write", "--iface", "ini0", "e1.1", "--lba", "0", "--input", data,
                                     "--yes-overwrite"});
  ASSERT_EQ(w.exit_code, 0) << w.output;
  EXPECT_NE(w.output.find("131072 sectors (64.0 MiB)"), std::string::npos) << w.output;
  EXPECT_TRUE(slurp(disk) == slurp(data)) << "vblade's backing file differs from what was written";

  const std::string out = ns.temp_dir() + "/readback.bin";
  const CommandResult r = ns.run_in({kAoeh, "read", "--iface", "ini0", "e1.1", "--lba", "0", "--count", "131072",
                                     "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(std::filesystem::file_size(out), kBytes);
  EXPECT_TRUE(slurp(out) == slurp(disk)) << "the data read back differs from the backing file";
}

TEST_F(InitiatorCommandsTest, PartialRangesLandAtTheirLba) {
  NetnsFixture ns;
  const std::string disk = ns.make_backing_file("disk.img", 4 << 20, 5);
  const std::string data = ns.make_backing_file("data.bin", 3 * 512, 6);
  ns.start_vblade(0, {1, 1}, disk);
  const auto before = slurp(disk);
  const CommandResult w = ns.run_in({kAoeh, "write", "--iface", "ini0", "e1.1", "--lba", "1001", "--input", data,
                                     "--yes-overwrite"});
  ASSERT_EQ(w.exit_code, 0) << w.output;
  auto expected = before;
  const auto bytes = slurp(data);
  std::copy(bytes.begin(), bytes.end(), expected.begin() + 1001 * 512);
  EXPECT_TRUE(slurp(disk) == expected) << "only LBA 1001..1003 may change";

  const std::string out = ns.temp_dir() + "/part.bin";
  const CommandResult r = ns.run_in({kAoeh, "read", "--iface", "ini0", "e1.1", "--lba", "1000", "--count", "5", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(slurp(out) == std::vector<std::uint8_t>(expected.begin() + 1000 * 512, expected.begin() + 1005 * 512));
}

// At MTU 9000 every full READ travels as 17 sectors (8704 bytes) per frame, as captured on the wire.
TEST_F(InitiatorCommandsTest, JumboFramesCarrySeventeenSectors) {
  if (find_program("tshark").empty()) GTEST_SKIP() << "tshark not found (scripts/deps.sh installs it)";
  NetnsFixture ns({.pairs = 1, .mtu = 9000});
  const std::string disk = ns.make_backing_file("disk.img", 16 << 20, 7);
  ns.start_vblade(0, {1, 1}, disk);
  const std::string pcap = ns.temp_dir() + "/jumbo.pcap";
  const std::string log = ns.temp_dir() + "/tshark.log";
  const pid_t tshark = spawn_logged({"ip", "netns", "exec", ns.name(), "tshark", "-i", "ini0", "-F", "pcap", "-f", "ether proto 0x88a2",
                                     "-w", pcap},
                                    log);
  // tshark says "Capturing on 'ini0'" once its capture is open: only then is nothing missed.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  bool capturing = false;
  while (!capturing && std::chrono::steady_clock::now() < deadline && process_running(tshark)) {
    std::ifstream in(log);
    capturing = std::string(std::istreambuf_iterator<char>(in), {}).find("Capturing on") != std::string::npos;
    if (!capturing) std::this_thread::sleep_for(20ms);  // polling a log file for a condition
  }
  ASSERT_TRUE(capturing) << "tshark did not start: " << slurp(log).size() << " bytes of log";

  const std::string out = ns.temp_dir() + "/out.bin";
  // One request of 17 * 1024 sectors: the engine splits it into 1024 frames of 17, no tail.
  const CommandResult r = ns.run_in(
      {kAoeh, "read", "--iface", "ini0", "e1.1", "--count", "17408", "--chunk", "17408", "-o", out});
  stop_process(tshark, 10s);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto disk_bytes = slurp(disk);
  ASSERT_TRUE(slurp(out) == std::vector<std::uint8_t>(disk_bytes.begin(), disk_bytes.begin() + 17408 * 512));

  std::string error;
  const auto records = proto::read_pcap(pcap, &error);
  ASSERT_TRUE(records) << error;
  // Every captured READ request asks for 17 sectors and every READ reply carries 17 (8740-byte
  // frames). A capture may miss frames on a loaded host, so totals are bounds, not equalities.
  std::size_t read_requests = 0, read_replies = 0, other_sizes = 0;
  for (const auto& rec : *records) {
    const auto msg = proto::parse_frame(rec.bytes, {.require_version_1 = false, .reject_reserved = false});
    if (!msg.ok() || msg->ata() == nullptr) continue;
    const auto& a = msg->ata()->arg;
    if (a.write()) continue;
    if (!msg->header.is_response()) {
      if (a.cmd_status == proto::ata::kIdentify) continue;
      ++read_requests;
      if (a.sector_count != 17) ++other_sizes;
    } else if (msg->ata()->data.size() == 512) {
      continue;  // the IDENTIFY reply: the only one-sector exchange of this run
    } else if (msg->ata()->data.size() == 17 * 512 && rec.bytes.size() == proto::kAtaHeaderSize + 17 * 512) {
      ++read_replies;
    } else {
      ++other_sizes;
      ADD_FAILURE() << "reply of " << rec.bytes.size() << " bytes, " << msg->ata()->data.size() << " data bytes";
    }
  }
  EXPECT_GT(read_requests, 0u) << "no READ request captured (are sent frames visible to capture taps?)";
  EXPECT_LE(read_requests, 1024u + 64u);  // retransmissions, if any, are few
  EXPECT_GT(read_replies, 0u);
  EXPECT_EQ(other_sizes, 0u) << "frames that did not carry 17 sectors";
  const CommandResult malformed = run_command({"tshark", "-r", pcap, "-Y", "aoe && _ws.malformed"});
  EXPECT_EQ(malformed.exit_code, 0) << malformed.output;
  EXPECT_EQ(malformed.output.find("AoE"), std::string::npos) << malformed.output;
}

std::uint64_t rx_packets(const NetnsFixture& ns, const std::string& ifname) {
  const CommandResult r = ns.run_in({"ip", "-s", "-o", "link", "show", ifname});
  std::smatch m;
  // `ip -s -o link`: "... RX: bytes packets ... \    123 45 ..."
  if (std::regex_search(r.output, m, std::regex(R"(RX:[^\\]*\\\s+(\d+)\s+(\d+))"))) return std::stoull(m[2].str());
  return 0;
}

// Two vblade processes serve one file as the same e1.1 on two pairs: the engine sees one device
// with two paths, and a read keeps going (and returns the right bytes) when one link dies mid-way.
TEST_F(InitiatorCommandsTest, MultipathReadSurvivesALinkGoingDown) {
  NetnsFixture ns({.pairs = 2});
  constexpr std::uint64_t kSectors = 262144;  // 128 MiB: long enough to pull a link mid-way
  const std::string disk = ns.make_backing_file("disk.img", kSectors * 512, 8);
  ns.start_vblade(0, {1, 1}, disk, 32);
  ns.start_vblade(1, {1, 1}, disk, 32);

  const CommandResult stat = ns.run_in({kAoeh, "stat", "--iface", "ini0", "--iface", "ini1", "--wait", "1", "--json"});
  ASSERT_EQ(stat.exit_code, 0) << stat.output;
  const auto doc = json_of(stat);
  ASSERT_EQ(doc["devices"].size(), 1u) << stat.output;
  EXPECT_EQ(doc["devices"][0]["paths"].size(), 2u) << stat.output;
  EXPECT_EQ(doc["devices"][0]["interfaces"], nlohmann::json::array({"ini0", "ini1"}));

  const std::string out = ns.temp_dir() + "/out.bin";
  const std::string log = ns.temp_dir() + "/read.log";
  const std::uint64_t tgt0_before = rx_packets(ns, "tgt0"), tgt1_before = rx_packets(ns, "tgt1");
  const pid_t reader = spawn_logged({"ip", "netns", "exec", ns.name(), kAoeh, "read", "--iface", "ini0", "--iface",
                                     "ini1", "e1.1", "--count", std::to_string(kSectors), "-o", out},
                                    log);
  // Pull tgt0 once a quarter of the data is out: the output file grows in LBA order.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  auto out_size = [&] {
    std::error_code ec;
    const auto n = std::filesystem::file_size(out, ec);
    return ec ? std::uintmax_t{0} : n;  // not created yet
  };
  while (std::chrono::steady_clock::now() < deadline && process_running(reader) && out_size() < kSectors * 512 / 4) {
    std::this_thread::sleep_for(5ms);  // polling the output's size for a condition
  }
  ASSERT_GE(out_size(), kSectors * 512 / 4) << "the read made no progress";
  ASSERT_LT(out_size(), kSectors * 512) << "the read finished before the link could go down";
  ns.set_link("tgt0", false);
  const std::uint64_t tgt0_at_down = rx_packets(ns, "tgt0");
  int status = 0;
  const auto wait_deadline = std::chrono::steady_clock::now() + 120s;
  while (process_running(reader) && std::chrono::steady_clock::now() < wait_deadline) {
    std::this_thread::sleep_for(20ms);  // reaping the child once it exits
  }
  ASSERT_FALSE(process_running(reader)) << "aoeh read hung after the link went down";
  (void)status;
  const auto log_bytes = slurp(log);
  const std::string read_log(log_bytes.begin(), log_bytes.end());
  EXPECT_NE(read_log.find("aoeh read: 262144 sectors"), std::string::npos) << read_log;
  EXPECT_TRUE(slurp(out) == slurp(disk)) << "data read across the failover differs from the file";
  EXPECT_GT(tgt0_at_down, tgt0_before) << "path 0 carried nothing before it went down";
  EXPECT_GT(rx_packets(ns, "tgt1"), tgt1_before) << "path 1 carried nothing";
}

TEST_F(InitiatorCommandsTest, EnvironmentErrorsExitTwoWithOneLine) {
  NetnsFixture ns;
  const std::string disk = ns.make_backing_file("disk.img", 1 << 20, 9);
  ns.start_vblade(0, {1, 1}, disk);
  ns.set_link("ini0", true);
  struct Case {
    std::vector<std::string> argv;
    std::string says;
  };
  const std::vector<Case> cases{
      {{kAoeh, "ping", "--iface", "ini0", "e9.9", "--timeout", "0.5"}, "no answer from e9.9 on ini0 within 0.5 s"},
      {{kAoeh, "ping", "--iface", "nosuch0", "e1.1"}, "no interface 'nosuch0'"},
      {{kAoeh, "ping", "--iface", "ini0", "x1.1"}, "not a device address"},
      {{kAoeh, "write", "--iface", "ini0", "e1.1", "--input", disk}, "without --yes-overwrite"},
      {{kAoeh, "bench", "--iface", "ini0", "e1.1", "--write"}, "--yes-overwrite"},
      {{kAoeh, "read", "--iface", "ini0", "e1.1", "--lba", "2047", "--count", "2", "-o", ns.temp_dir() + "/x"},
       "beyond the end of e1.1 (2048 sectors)"},
  };
  for (const auto& c : cases) {
    const CommandResult r = ns.run_in(c.argv);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
  ns.set_link("ini0", false);
  const CommandResult down = ns.run_in({kAoeh, "stat", "--iface", "ini0"});
  EXPECT_EQ(down.exit_code, 2) << down.output;
  EXPECT_NE(down.output.find("is down"), std::string::npos) << down.output;
}

TEST_F(InitiatorCommandsTest, BenchReportsThroughputAndLatency) {
  NetnsFixture ns;
  const std::string disk = ns.make_backing_file("disk.img", 16 << 20, 10);
  ns.start_vblade(0, {1, 1}, disk, 32);
  const CommandResult r = ns.run_in({kAoeh, "bench", "--iface", "ini0", "e1.1", "--seconds", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto doc = json_of(r);
  EXPECT_GT(doc["bytes"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(doc["bytes"].get<std::uint64_t>(), doc["requests"].get<std::uint64_t>() * 65536);
  EXPECT_GT(doc["mb_per_s"].get<double>(), 0.0);
  EXPECT_LE(doc["latency_ms"]["p50"].get<double>(), doc["latency_ms"]["p99"].get<double>());
  EXPECT_LE(doc["latency_ms"]["p99"].get<double>(), doc["latency_ms"]["max"].get<double>());
  EXPECT_EQ(doc["errors"], 0);
  EXPECT_NE(r.output.find(" MB/s "), std::string::npos) << "no progress line: " << r.output;
}

}  // namespace
}  // namespace aoeh::live::testing
