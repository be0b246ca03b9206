#include "sim/target/defects.hpp"

#include <array>

namespace aoeh::target {
namespace {

struct Entry {
  Defect defect;
  std::string_view name;
};

// Order follows the enum, so all_defects() and the names table stay one list.
constexpr std::array<Entry, kDefectCount> kTable{{
    {Defect::NoVersionCheck, "no_version_check"},
    {Defect::NoPadding, "no_padding"},
    {Defect::IgnoreWriteFlag, "ignore_write_flag"},
    {Defect::WrongTagEcho, "wrong_tag_echo"},
    {Defect::NoErrorOnBadCount, "no_error_on_bad_count"},
    {Defect::Lba28NotMasked, "lba28_not_masked"},
    {Defect::IdentifyCapacityOffByOne, "identify_capacity_off_by_one"},
    {Defect::ConfigSetOverwrites, "config_set_overwrites"},
    {Defect::MaskListIgnored, "mask_list_ignored"},
    {Defect::ReservationIgnored, "reservation_ignored"},
    {Defect::FlushStatusWithoutDrdy, "flush_status_without_drdy"},
    {Defect::BufcntOverrunCorrupts, "bufcnt_overrun_corrupts"},
    {Defect::ResponseFlagMissing, "response_flag_missing"},
    {Defect::BroadcastIgnored, "broadcast_ignored"},
    {Defect::NoIdnfBeyondEnd, "no_idnf_beyond_end"},
    {Defect::AnswersResponses, "answers_responses"},
    {Defect::ConfigTestAlwaysAnswers, "config_test_always_answers"},
    {Defect::SectorCountIgnoresMtu, "sector_count_ignores_mtu"},
    {Defect::ErrorFlagMissing, "error_flag_missing"},
    {Defect::ReplyFromFirstPort, "reply_from_first_port"},
    {Defect::Lba48TruncatedTo28, "lba48_truncated_to_28"},
    {Defect::ShortWriteAccepted, "short_write_accepted"},
}};

constexpr bool table_matches_enum() {
  for (std::size_t i = 0; i < kTable.size(); ++i)
    if (static_cast<std::size_t>(kTable[i].defect) != i) return false;
  return true;
}
static_assert(table_matches_enum(), "kTable must list every Defect in enum order");

constexpr std::array<Defect, kDefectCount> make_all() {
  std::array<Defect, kDefectCount> all{};
  for (std::size_t i = 0; i < kTable.size(); ++i) all[i] = kTable[i].defect;
  return all;
}
constexpr std::array<Defect, kDefectCount> kAll = make_all();

}  // namespace

std::string_view defect_name(Defect d) {
  const auto i = static_cast<std::size_t>(d);
  return i < kTable.size() ? kTable[i].name : std::string_view{"unknown_defect"};
}

std::optional<Defect> defect_from_name(std::string_view name) {
  for (const auto& e : kTable)
    if (e.name == name) return e.defect;
  return std::nullopt;
}

std::span<const Defect> all_defects() { return kAll; }

}  // namespace aoeh::target
