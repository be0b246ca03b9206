#include "protocol/tests/support/message_checks.hpp"

#include <algorithm>
#include <cstdio>

namespace aoeh::proto::testing {
namespace {

std::string number(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Appends "what: a != b" to `out` when the values differ and nothing was found yet.
void compare(std::string& out, const char* what, std::uint64_t a, std::uint64_t b) {
  if (out.empty() && a != b) out = std::string(what) + ": " + number(a) + " != " + number(b);
}

void compare_bytes(std::string& out, const char* what, ByteSpan a, ByteSpan b) {
  if (!out.empty()) return;
  if (a.size() != b.size()) {
    out = std::string(what) + " size: " + std::to_string(a.size()) + " != " + std::to_string(b.size());
    return;
  }
  const auto diff = std::mismatch(a.begin(), a.end(), b.begin());
  if (diff.first != a.end())
    out = std::string(what) + " byte " + std::to_string(diff.first - a.begin()) + ": " + number(*diff.first) +
          " != " + number(*diff.second);
}

void compare_header(std::string& out, const Header& a, const Header& b) {
  compare(out, "header.dst", a.dst.to_u64(), b.dst.to_u64());
  compare(out, "header.src", a.src.to_u64(), b.src.to_u64());
  compare(out, "header.version", a.version, b.version);
  compare(out, "header.flags", a.flags, b.flags);
  compare(out, "header.error", a.error, b.error);
  compare(out, "header.shelf", a.shelf, b.shelf);
  compare(out, "header.slot", a.slot, b.slot);
  compare(out, "header.command", a.command, b.command);
  compare(out, "header.tag", a.tag, b.tag);
}

bool inside(ByteSpan view, ByteSpan frame) {
  if (view.empty()) return true;
  const auto* lo = frame.data();
  const auto* hi = frame.data() + frame.size();
  // Compare as integers: relational operators on unrelated pointers are unspecified.
  const auto v0 = reinterpret_cast<std::uintptr_t>(view.data());
  return v0 >= reinterpret_cast<std::uintptr_t>(lo) && v0 + view.size() <= reinterpret_cast<std::uintptr_t>(hi);
}

}  // namespace

std::string message_difference(const Message& a, const Message& b) {
  std::string out;
  compare_header(out, a.header, b.header);
  compare(out, "body kind", a.body.index(), b.body.index());
  if (!out.empty()) return out;
  if (const auto* x = a.ata()) {
    const auto* y = b.ata();
    compare(out, "ata.aflags", x->arg.aflags, y->arg.aflags);
    compare(out, "ata.err_feature", x->arg.err_feature, y->arg.err_feature);
    compare(out, "ata.sector_count", x->arg.sector_count, y->arg.sector_count);
    compare(out, "ata.cmd_status", x->arg.cmd_status, y->arg.cmd_status);
    compare(out, "ata.lba", x->arg.lba, y->arg.lba);
    compare_bytes(out, "ata.data", x->data, y->data);
  } else if (const auto* x = a.query_config()) {
    const auto* y = b.query_config();
    compare(out, "qc.buffer_count", x->buffer_count, y->buffer_count);
    compare(out, "qc.firmware_version", x->firmware_version, y->firmware_version);
    compare(out, "qc.sector_count", x->sector_count, y->sector_count);
    compare(out, "qc.aoe_version", x->aoe_version, y->aoe_version);
    compare(out, "qc.ccmd", x->ccmd, y->ccmd);
    compare_bytes(out, "qc.config", x->config, y->config);
  } else if (const auto* x = a.mac_mask_list()) {
    const auto* y = b.mac_mask_list();
    compare(out, "mml.mcmd", x->mcmd, y->mcmd);
    compare(out, "mml.merror", x->merror, y->merror);
    compare(out, "mml.directive_count", x->directive_count, y->directive_count);
    compare(out, "mml.directives size", x->directives.size(), y->directives.size());
    for (std::size_t i = 0; out.empty() && i < x->directives.size() / kMacMaskDirectiveSize; ++i) {
      compare(out, "mml.directive.dcmd", x->directive(i).dcmd, y->directive(i).dcmd);
      compare(out, "mml.directive.mac", x->directive(i).mac.to_u64(), y->directive(i).mac.to_u64());
    }
  } else if (const auto* x = a.reserve_release()) {
    const auto* y = b.reserve_release();
    compare(out, "rr.rcmd", x->rcmd, y->rcmd);
    compare(out, "rr.mac_count", x->mac_count, y->mac_count);
    compare_bytes(out, "rr.macs", x->macs, y->macs);
  } else if (const auto* x = a.vendor()) {
    compare_bytes(out, "vendor.payload", x->payload, b.vendor()->payload);
  }
  return out;
}

std::string view_outside(const Message& m, ByteSpan frame) {
  auto check = [&](const char* what, ByteSpan v) -> std::string { return inside(v, frame) ? "" : what; };
  std::string out;
  if (const auto* x = m.ata()) {
    out = check("ata.raw_arg", x->raw_arg);
    if (out.empty()) out = check("ata.data", x->data);
  } else if (const auto* x = m.query_config()) {
    out = check("qc.config", x->config);
  } else if (const auto* x = m.mac_mask_list()) {
    out = check("mml.directives", x->directives);
  } else if (const auto* x = m.reserve_release()) {
    out = check("rr.macs", x->macs);
  } else if (const auto* x = m.vendor()) {
    out = check("vendor.payload", x->payload);
  }
  return out;
}

}  // namespace aoeh::proto::testing
