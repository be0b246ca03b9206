#include "conformance/context.hpp"

#include <fmt/format.h>

namespace aoeh::conformance {

using proto::MacAddress;

TestContext::TestContext(Probe& probe, TargetOps& ops, Safety& safety, const TargetFacts& facts, const TestInfo& info)
    : probe_(probe), ops_(ops), safety_(safety), facts_(facts), info_(info) {}

MacAddress TestContext::my_mac(const std::string& port) const { return probe_.port_mac(pick(port)); }

MacAddress TestContext::stranger_mac(std::uint8_t n) const {
  return MacAddress{{0x02, 0xAE, 0x0C, 0xF0, 0x00, n}};
}

proto::Header TestContext::header(std::uint8_t cmd, const std::string& port, std::optional<MacAddress> src) const {
  return ops_.header(pick(port), cmd, src);
}

std::optional<Reply> TestContext::transact(const Bytes& frame, const std::string& note, const std::string& port) {
  return probe_.transact(pick(port), frame, note);
}

Reply TestContext::expect_reply(const Bytes& frame, const std::string& note, const std::string& port) {
  auto r = transact(frame, note, port);
  if (!r) fail("no reply to " + note);
  return std::move(*r);
}

bool TestContext::expect_silence(const Bytes& frame, const std::string& note, const std::string& port) {
  return probe_.expect_silence(pick(port), frame, note).empty();
}

Reply TestContext::expect_alive(const std::string& port) {
  auto r = query_config(proto::ConfigCommand::Read, {}, port);
  if (!r) fail("the target stopped answering (no reply to a Query Config read afterwards)");
  return std::move(*r);
}

std::optional<Reply> TestContext::query_config(proto::ConfigCommand ccmd, std::string_view value,
                                               const std::string& port) {
  static constexpr const char* kNames[] = {"read", "test", "test prefix", "set", "force set"};
  const auto c = static_cast<unsigned>(ccmd);
  const std::string note = fmt::format("Query Config {}{}", c < 5 ? kNames[c] : fmt::format("CCmd {}", c).c_str(),
                                       value.empty() ? "" : fmt::format(" ({} bytes)", value.size()));
  return transact(query_config_frame(header(proto::Command::QueryConfig, port), ccmd, value), note, port);
}

Reply TestContext::identify(const std::string& port) {
  return expect_reply(ata_frame(header(proto::Command::Ata, port), proto::ata_identify_arg()), "ATA IDENTIFY", port);
}

Reply TestContext::ata(const proto::AtaArg& arg, proto::ByteSpan data, const std::string& note,
                       const std::string& port) {
  return expect_reply(ata_frame(header(proto::Command::Ata, port), arg, data), note, port);
}

Bytes TestContext::read(std::uint64_t lba, std::uint32_t count, const std::string& port) {
  std::string why;
  auto data = ops_.read_sectors(pick(port), lba, count, &why);
  if (!data) fail(why);
  return std::move(*data);
}

void TestContext::guard_sectors(std::uint64_t lba, std::uint32_t count) {
  std::string why;
  if (!safety_.guard_sectors(lba, count, &why)) error(why);
}
void TestContext::guard_config() {
  std::string why;
  if (!safety_.guard_config(&why)) error(why);
}
void TestContext::guard_mask() {
  std::string why;
  if (!safety_.guard_mask(&why)) error(why);
}
void TestContext::guard_reservation() {
  std::string why;
  if (!safety_.guard_reservation(&why)) error(why);
}

void TestContext::write(std::uint64_t lba, const Bytes& data, const std::string& port) {
  guard_sectors(lba, static_cast<std::uint32_t>(data.size() / proto::kSectorSize));
  std::string why;
  if (!ops_.write_sectors(pick(port), lba, data, &why)) fail(why);
}

bool TestContext::check(bool ok, const std::string& failure) {
  if (!ok) {
    failures_.push_back(failure);
    probe_.annotate_last(failure);
  }
  return ok;
}

void TestContext::fail(const std::string& message) {
  probe_.annotate_last(message);
  failures_.push_back(message);
  throw TestStop{reports::Verdict::Fail, failure_text()};
}
void TestContext::skip(const std::string& reason) { throw TestStop{reports::Verdict::Skip, reason}; }
void TestContext::not_applicable(const std::string& reason) {
  throw TestStop{reports::Verdict::NotApplicable, reason};
}
void TestContext::error(const std::string& message) { throw TestStop{reports::Verdict::Error, message}; }
void TestContext::note(const std::string& text) { notes_.push_back(text); }

std::string TestContext::failure_text() const {
  std::string s;
  for (const auto& f : failures_) s += (s.empty() ? "" : "; ") + f;
  return s;
}
std::string TestContext::note_text() const {
  std::string s;
  for (const auto& n : notes_) s += (s.empty() ? "" : "; ") + n;
  return s;
}

const proto::AtaBody* TestContext::ata_of(const proto::Parsed<proto::Message>& m) { return m ? m->ata() : nullptr; }

bool TestContext::ata_ok(const Reply& r) {
  if (r.header.is_error()) return false;
  const auto a = ata_arg_of(r);
  return a && (a->cmd_status & proto::ata::kStatusFailMask) == 0;
}

bool TestContext::ata_ready(const Reply& r) {
  const auto a = ata_arg_of(r);
  return a && (a->cmd_status & proto::ata::kStatusDrdy) != 0;
}

bool TestContext::ata_error(const Reply& r, std::uint8_t error_bits) {
  if (r.header.is_error()) return false;
  const auto a = ata_arg_of(r);
  return a && (a->cmd_status & proto::ata::kStatusErr) != 0 && (a->err_feature & error_bits) == error_bits;
}

bool TestContext::aoe_error(const Reply& r, proto::AoeError e) { return r.header.is_error() && r.header.aoe_error() == e; }

}  // namespace aoeh::conformance
