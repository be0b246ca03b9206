#pragma once
// Well-formed requests to the device under test with their replies checked for the basics: used by the
// runner (identity), by Safety (save/restore) and by tests that need a working step before the
// step they judge. A failure returns nullopt/false and says why.
#include <optional>
#include <string>
#include <vector>

#include "conformance/probe.hpp"
#include "conformance/target_facts.hpp"

namespace aoeh::conformance {

class TargetOps {
 public:
  TargetOps(Probe& probe, const TargetFacts& facts) : probe_(probe), facts_(facts) {}

  // A request header to the target through `port`: unicast to the MAC that answered there (broadcast
  // before discovery), from the port's MAC unless `src` overrides it, with a fresh tag.
  proto::Header header(const std::string& port, std::uint8_t command,
                       std::optional<proto::MacAddress> src = std::nullopt) const;

  // LBA48 when the device has it, else LBA28.
  bool use_lba48(std::uint64_t lba, std::uint32_t count) const;

  std::optional<Bytes> read_sectors(const std::string& port, std::uint64_t lba, std::uint32_t count,
                                    std::string* why);
  bool write_sectors(const std::string& port, std::uint64_t lba, const Bytes& data, std::string* why);
  bool flush(const std::string& port, std::string* why);

  std::optional<std::string> config_string(const std::string& port, std::string* why);
  bool force_config(const std::string& port, const std::string& value, std::string* why);

  // The current mask list (nullopt: no answer, e.g. because the list excludes this port's MAC).
  std::optional<std::vector<proto::MacAddress>> mask_list(const std::string& port, std::string* why);
  // Edits in order; the reply's list is returned. With `src` set the reply goes elsewhere: nullopt.
  std::optional<std::vector<proto::MacAddress>> mask_edit(const std::string& port,
                                                          const std::vector<proto::MacMaskDirective>& d,
                                                          std::string* why,
                                                          std::optional<proto::MacAddress> src = std::nullopt);

  std::optional<std::vector<proto::MacAddress>> reservation(const std::string& port, std::string* why);
  bool force_reservation(const std::string& port, const std::vector<proto::MacAddress>& macs, std::string* why);

 private:
  Probe& probe_;
  const TargetFacts& facts_;
};

std::vector<proto::MacAddress> macs_of(const proto::MacMaskListBody& body);
std::vector<proto::MacAddress> macs_of(const proto::ReserveReleaseBody& body);
std::string describe_reply(const Reply& r);
// The ATA argument of a reply without judging its data (CHECK POWER MODE, for one, carries its
// answer in the count register and no data); nullopt when the frame is too short.
std::optional<proto::AtaArg> ata_arg_of(const Reply& r);
// The sector data of a successful ATA reply, sized by the *request's* count: after a command the
// count register means nothing (vblade answers IDENTIFY with count 0 and 512 bytes). Nullopt when the
// reply is an error or shorter than `sectors` * 512 after its argument.
std::optional<proto::ByteSpan> reply_data(const Reply& r, std::uint32_t sectors);  // "Error 2 (bad argument)" / "status 0x51 error 0x10" / "ok"

}  // namespace aoeh::conformance
