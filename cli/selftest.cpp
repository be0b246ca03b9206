// `aoeh selftest`: one frame of every kind through encode -> parse, compared field by field.
#include "cli/selftest.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "protocol/frame.hpp"
#include "protocol/identify.hpp"

namespace aoeh::cli {
namespace {
using namespace aoeh::proto;

Header make_header(std::uint8_t command, bool response) {
  Header h;
  h.dst = *MacAddress::parse("02:00:00:00:a0:0a");
  h.src = *MacAddress::parse("02:00:00:00:b0:0b");
  h.flags = response ? kFlagResponse : 0;
  h.shelf = 7;
  h.slot = 3;
  h.command = command;
  h.tag = 0x12345678;
  return h;
}

struct Check {
  const char* name;
  std::function<std::string()> run;  // empty string = pass, else what differed
};

}  // namespace

int run_selftest(std::ostream& out) {
  std::array<std::uint8_t, kMaxFrameSize> buf{};
  std::array<std::uint8_t, 1024> data{};
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7);

  auto parse = [&](std::size_t len) { return parse_frame(ByteSpan(buf.data(), len)); };
  auto header_ok = [](const Header& a, const Header& b) {
    return a.dst == b.dst && a.src == b.src && a.flags == b.flags && a.shelf == b.shelf && a.slot == b.slot &&
           a.command == b.command && a.tag == b.tag;
  };

  const Check checks[] = {
      {"ATA READ EXT request (LBA48)",
       [&]() -> std::string {
         auto h = make_header(0, false);
         auto a = ata_read_arg(0x123456789Aull, 2, true);
         auto m = parse(encode_ata(buf, h, a));
         if (!m) return parse_error_name(m.error());
         if (!header_ok(m->header, h) || m->ata()->arg.lba != a.lba || m->ata()->arg.sector_count != 2) return "fields";
         return {};
       }},
      {"ATA WRITE request (LBA28) with 1024 bytes",
       [&]() -> std::string {
         auto h = make_header(0, false);
         auto a = ata_write_arg(0x0ABCDEF, 2, false);
         auto m = parse(encode_ata(buf, h, a, data));
         if (!m) return parse_error_name(m.error());
         const auto& b = *m->ata();
         if (b.arg.lba != a.lba || b.data.size() != 1024 || b.data[5] != data[5]) return "fields";
         return {};
       }},
      {"ATA READ response with 1024 bytes",
       [&]() -> std::string {
         auto h = make_header(0, true);
         auto a = ata_read_arg(42, 2, true);
         a.cmd_status = ata::kStatusDrdy;
         auto m = parse(encode_ata(buf, h, a, data));
         if (!m) return parse_error_name(m.error());
         if (m->ata()->data.size() != 1024 || !m->header.is_response()) return "fields";
         return {};
       }},
      {"ATA IDENTIFY response",
       [&]() -> std::string {
         Identity id;
         id.capacity_sectors = 1ull << 30;
         id.model = "aoeh reference target";
         id.serial = "SELFTEST0001";
         id.firmware = "0.1";
         std::array<std::uint8_t, kIdentifyPageSize> page{};
         build_identify(page, id);
         auto h = make_header(0, true);
         auto a = ata_identify_arg();
         a.cmd_status = ata::kStatusDrdy;
         auto m = parse(encode_ata(buf, h, a, page));
         if (!m) return parse_error_name(m.error());
         auto back = parse_identify(m->ata()->data);
         if (!back) return parse_error_name(back.error());
         if (back->capacity_sectors != id.capacity_sectors || !(back->model == id.model) || !(back->serial == id.serial))
           return "identity";
         return {};
       }},
      {"Query Config request (read)",
       [&]() -> std::string {
         auto h = make_header(1, false);
         h.dst = MacAddress::broadcast();
         h.shelf = kBroadcastShelf;
         h.slot = kBroadcastSlot;
         QueryConfigArg q;
         auto len = encode_query_config(buf, h, q);
         auto m = parse(len);
         if (!m) return parse_error_name(m.error());
         if (len != kMinFrameSize || m->query_config()->command() != ConfigCommand::Read) return "fields";
         return {};
       }},
      {"Query Config response, unpadded, with config string",
       [&]() -> std::string {
         auto h = make_header(1, true);
         QueryConfigArg q;
         q.buffer_count = 16;
         q.firmware_version = 0x4019;
         q.sector_count = 17;
         q.config = as_bytes("rack 4, bay 2");
         auto len = encode_query_config(buf, h, q, false);
         auto m = parse(len);
         if (!m) return parse_error_name(m.error());
         const auto& r = *m->query_config();
         if (len != 45 || r.buffer_count != 16 || r.sector_count != 17 || r.config_string() != "rack 4, bay 2")
           return "fields";
         return {};
       }},
      {"Mac Mask List edit with two directives",
       [&]() -> std::string {
         auto h = make_header(2, false);
         const MacMaskDirective d[] = {{1, *MacAddress::parse("020000000001")}, {2, *MacAddress::parse("020000000002")}};
         auto m = parse(encode_mac_mask_list(buf, h, 1, 0, d));
         if (!m) return parse_error_name(m.error());
         const auto& b = *m->mac_mask_list();
         if (b.directive_count != 2 || !(b.directive(1) == d[1])) return "fields";
         return {};
       }},
      {"Reserve/Release set with one MAC",
       [&]() -> std::string {
         auto h = make_header(3, false);
         const MacAddress macs[] = {*MacAddress::parse("02:00:00:00:b0:0b")};
         auto m = parse(encode_reserve_release(buf, h, 1, macs));
         if (!m) return parse_error_name(m.error());
         const auto& b = *m->reserve_release();
         if (b.rcmd != 1 || b.mac_count != 1 || b.mac(0) != macs[0]) return "fields";
         return {};
       }},
      {"Vendor command 0xF0 passed through",
       [&]() -> std::string {
         auto h = make_header(0xF0, false);
         const std::uint8_t payload[] = {0xde, 0xad, 0xbe, 0xef};
         auto m = parse(encode_vendor(buf, h, payload, false));
         if (!m) return parse_error_name(m.error());
         if (m->vendor()->payload.size() != 4 || m->vendor()->payload[3] != 0xef) return "fields";
         return {};
       }},
  };

  int failures = 0;
  for (const auto& c : checks) {
    const std::string why = c.run();
    out << (why.empty() ? "  ok    " : "  FAIL  ") << c.name;
    if (!why.empty()) {
      out << ": " << why;
      ++failures;
    }
    out << '\n';
  }
  const int total = static_cast<int>(std::size(checks));
  out << (total - failures) << " passed, " << failures << " failed\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace aoeh::cli
