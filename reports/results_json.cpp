#include "reports/results_json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <limits>
#include <stdexcept>

#include "reports/summary.hpp"
#include "reports/text_file.hpp"

namespace aoeh::reports {
namespace {
using Json = nlohmann::ordered_json;  // keeps the documented field order in the file

Json optional_verdict(const std::optional<Verdict>& v) { return v ? Json(verdict_name(*v)) : Json(nullptr); }

Json counts_json(const VerdictCounts& c) {
  Json j;
  for (Verdict v : {Verdict::Pass, Verdict::Fail, Verdict::Skip, Verdict::NotApplicable, Verdict::Error})
    j[verdict_name(v)] = c.of(v);
  j["total"] = c.total();
  return j;
}

Json evidence_json(const EvidenceFrame& e) {
  Json j;
  j["direction"] = e.sent ? "sent" : "received";
  j["time_ns"] = e.time_ns;
  j["port"] = e.port;
  j["hex"] = e.hex;
  j["capture_index"] = e.capture_index ? Json(*e.capture_index) : Json(nullptr);
  j["note"] = e.note;
  return j;
}

Json test_json(const TestResult& t, bool compared) {
  Json j;
  j["name"] = t.name;
  j["area"] = t.area;
  j["clause"] = t.clause;
  j["level"] = level_name(t.level);
  j["writes"] = t.writes;
  j["needs"] = t.needs;
  j["description"] = t.description;
  j["verdict"] = verdict_name(t.verdict);
  j["message"] = t.message;
  j["duration_ns"] = t.duration_ns;
  j["baseline_verdict"] = optional_verdict(t.baseline_verdict);
  j["baseline_change"] = compared ? Json(baseline_change_name(baseline_change(t))) : Json(nullptr);
  Json evidence = Json::array();
  for (const EvidenceFrame& e : t.evidence) evidence.push_back(evidence_json(e));
  j["evidence"] = std::move(evidence);
  return j;
}

// --- reading -------------------------------------------------------------------------------------
// A schema violation, carrying the JSON path of the offending field.
struct SchemaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void bad(const std::string& path, const std::string& what) { throw SchemaError(path + ": " + what); }

const Json* field(const Json& obj, const char* key, const std::string& path, bool required) {
  const auto it = obj.find(key);
  if (it == obj.end() || (it->is_null() && !required)) {
    if (required) bad(path + "." + key, "missing");
    return nullptr;
  }
  return &*it;
}

const Json& object_at(const Json& j, const std::string& path) {
  if (!j.is_object()) bad(path, "expected an object");
  return j;
}

void read(const Json& obj, const char* key, const std::string& path, std::string& out, bool required = false) {
  if (const Json* j = field(obj, key, path, required)) {
    if (!j->is_string()) bad(path + "." + key, "expected a string");
    out = j->get<std::string>();
  }
}

void read(const Json& obj, const char* key, const std::string& path, bool& out) {
  if (const Json* j = field(obj, key, path, false)) {
    if (!j->is_boolean()) bad(path + "." + key, "expected true or false");
    out = j->get<bool>();
  }
}

template <typename Int>
Int integer(const Json& j, const std::string& path) {
  if (j.is_number_unsigned()) {
    const auto v = j.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) bad(path, "number out of range");
    return static_cast<Int>(v);
  }
  if (j.is_number_integer()) {
    const auto v = j.get<std::int64_t>();
    if (v < static_cast<std::int64_t>(std::numeric_limits<Int>::min()) ||
        (v > 0 && static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())))
      bad(path, "number out of range");
    return static_cast<Int>(v);
  }
  bad(path, "expected an integer");
}

template <typename Int>
void read_int(const Json& obj, const char* key, const std::string& path, Int& out) {
  if (const Json* j = field(obj, key, path, false)) out = integer<Int>(*j, path + "." + key);
}

void read(const Json& obj, const char* key, const std::string& path, std::vector<std::string>& out) {
  const Json* j = field(obj, key, path, false);
  if (!j) return;
  const std::string here = path + "." + key;
  if (!j->is_array()) bad(here, "expected an array of strings");
  out.clear();
  for (std::size_t i = 0; i < j->size(); ++i) {
    if (!(*j)[i].is_string()) bad(here + "[" + std::to_string(i) + "]", "expected a string");
    out.push_back((*j)[i].get<std::string>());
  }
}

Verdict verdict_of(const Json& j, const std::string& path) {
  if (!j.is_string()) bad(path, "expected a verdict string");
  const auto v = verdict_from_name(j.get<std::string>());
  if (!v) bad(path, "unknown verdict '" + j.get<std::string>() + "' (pass, fail, skip, n/a, error)");
  return *v;
}

EvidenceFrame parse_evidence(const Json& j, const std::string& path) {
  object_at(j, path);
  EvidenceFrame e;
  std::string direction = "sent";
  read(j, "direction", path, direction);
  if (direction != "sent" && direction != "received") bad(path + ".direction", "expected 'sent' or 'received'");
  e.sent = direction == "sent";
  read_int(j, "time_ns", path, e.time_ns);
  read(j, "port", path, e.port);
  read(j, "hex", path, e.hex);
  if (const Json* c = field(j, "capture_index", path, false)) e.capture_index = integer<std::uint64_t>(*c, path + ".capture_index");
  read(j, "note", path, e.note);
  return e;
}

TestResult parse_test(const Json& j, const std::string& path) {
  object_at(j, path);
  TestResult t;
  read(j, "name", path, t.name, true);
  read(j, "area", path, t.area);
  read(j, "clause", path, t.clause);
  std::string level = level_name(t.level);
  read(j, "level", path, level);
  const auto l = level_from_name(level);
  if (!l) bad(path + ".level", "unknown level '" + level + "' (MUST, SHOULD, MAY)");
  t.level = *l;
  read(j, "writes", path, t.writes);
  read(j, "needs", path, t.needs);
  read(j, "description", path, t.description);
  t.verdict = verdict_of(*field(j, "verdict", path, true), path + ".verdict");
  read(j, "message", path, t.message);
  read_int(j, "duration_ns", path, t.duration_ns);
  if (const Json* b = field(j, "baseline_verdict", path, false)) t.baseline_verdict = verdict_of(*b, path + ".baseline_verdict");
  if (const Json* ev = field(j, "evidence", path, false)) {
    if (!ev->is_array()) bad(path + ".evidence", "expected an array");
    for (std::size_t i = 0; i < ev->size(); ++i)
      t.evidence.push_back(parse_evidence((*ev)[i], path + ".evidence[" + std::to_string(i) + "]"));
  }
  return t;
}

Report parse_report(const Json& root) {
  object_at(root, "$");
  std::string schema;
  read(root, "schema", "$", schema, true);
  if (schema != kResultsSchema) bad("$.schema", "expected '" + std::string(kResultsSchema) + "', got '" + schema + "'");
  int version = 0;
  read_int(root, "schema_version", "$", version);
  if (version != kResultsSchemaVersion)
    bad("$.schema_version", "version " + std::to_string(version) + " is not supported (this aoeh reads version " +
                                std::to_string(kResultsSchemaVersion) + ")");

  Report r;
  read(root, "tool_version", "$", r.tool_version);
  read(root, "run_id", "$", r.run_id);
  read(root, "mode", "$", r.mode);
  read(root, "started_at", "$", r.started_at);
  if (const Json* s = field(root, "seed", "$", false)) r.seed = integer<std::uint64_t>(*s, "$.seed");

  if (const Json* d = field(root, "device", "$", false)) {
    const std::string p = "$.device";
    object_at(*d, p);
    read(*d, "address", p, r.device.address);
    read(*d, "macs", p, r.device.macs);
    read_int(*d, "firmware", p, r.device.firmware);
    read_int(*d, "buffer_count", p, r.device.buffer_count);
    read_int(*d, "sector_count", p, r.device.sector_count);
    read(*d, "model", p, r.device.model);
    read(*d, "serial", p, r.device.serial);
    read(*d, "ata_firmware", p, r.device.ata_firmware);
    read_int(*d, "capacity_sectors", p, r.device.capacity_sectors);
    read(*d, "lba48", p, r.device.lba48);
    read(*d, "config_string", p, r.device.config_string);
  }
  if (const Json* s = field(root, "safety", "$", false)) {
    const std::string p = "$.safety";
    object_at(*s, p);
    read(*s, "writes_allowed", p, r.safety.writes_allowed);
    read(*s, "touched", p, r.safety.touched);
    read(*s, "restored", p, r.safety.restored);
    read(*s, "restore_verified", p, r.safety.restore_verified);
    read(*s, "detail", p, r.safety.detail);
  }
  if (const Json* b = field(root, "baseline", "$", false)) {
    const std::string p = "$.baseline";
    object_at(*b, p);
    BaselineInfo info;
    read(*b, "path", p, info.path);
    read(*b, "run_id", p, info.run_id);
    read(*b, "started_at", p, info.started_at);
    read(*b, "removed", p, info.removed);
    r.baseline = std::move(info);
  }
  const Json& tests = *field(root, "tests", "$", true);
  if (!tests.is_array()) bad("$.tests", "expected an array");
  for (std::size_t i = 0; i < tests.size(); ++i) r.results.push_back(parse_test(tests[i], "$.tests[" + std::to_string(i) + "]"));

  if (const Json* rtt = field(root, "rtt_samples_us", "$", false)) {
    if (!rtt->is_array()) bad("$.rtt_samples_us", "expected an array of numbers");
    for (std::size_t i = 0; i < rtt->size(); ++i) {
      if (!(*rtt)[i].is_number()) bad("$.rtt_samples_us[" + std::to_string(i) + "]", "expected a number");
      r.rtt_samples_us.push_back((*rtt)[i].get<double>());
    }
  }
  if (const Json* props = field(root, "properties", "$", false)) {
    if (!props->is_object()) bad("$.properties", "expected an object of strings");
    for (const auto& [key, value] : props->items()) {
      if (!value.is_string()) bad("$.properties." + key, "expected a string");
      r.properties[key] = value.get<std::string>();
    }
  }
  return r;
}
}  // namespace

std::string to_results_json(const Report& report) {
  const Summary summary = summarize(report);
  Json j;
  j["schema"] = kResultsSchema;
  j["schema_version"] = kResultsSchemaVersion;
  j["tool_version"] = report.tool_version;
  j["run_id"] = report.run_id;
  j["mode"] = report.mode;
  j["started_at"] = report.started_at;
  j["seed"] = report.seed ? Json(*report.seed) : Json(nullptr);

  Json& d = j["device"];
  d["address"] = report.device.address;
  d["macs"] = report.device.macs;
  d["firmware"] = report.device.firmware;
  d["buffer_count"] = report.device.buffer_count;
  d["sector_count"] = report.device.sector_count;
  d["model"] = report.device.model;
  d["serial"] = report.device.serial;
  d["ata_firmware"] = report.device.ata_firmware;
  d["capacity_sectors"] = report.device.capacity_sectors;
  d["capacity_bytes"] = report.device.capacity_sectors * 512;  // derived; ignored when read
  d["lba48"] = report.device.lba48;
  d["config_string"] = report.device.config_string;

  Json& s = j["safety"];
  s["writes_allowed"] = report.safety.writes_allowed;
  s["touched"] = report.safety.touched;
  s["restored"] = report.safety.restored;
  s["restore_verified"] = report.safety.restore_verified;
  s["detail"] = report.safety.detail;

  // Derived totals for consumers that do not want to count; the reader ignores them.
  Json& sum = j["summary"];
  sum["verdicts"] = counts_json(summary.all);
  sum["must_failed"] = summary.must_failed;
  sum["must_errors"] = summary.must_errors;
  sum["total_duration_ns"] = summary.total_duration_ns;
  for (const auto& [area, counts] : summary.by_area) sum["by_area"][area] = counts_json(counts);
  for (const auto& [level, counts] : summary.by_level) sum["by_level"][level_name(level)] = counts_json(counts);
  if (report.baseline) {
    sum["newly_failing"] = summary.newly_failing;
    sum["newly_passing"] = summary.newly_passing;
  }

  if (report.baseline) {
    Json& b = j["baseline"];
    b["path"] = report.baseline->path;
    b["run_id"] = report.baseline->run_id;
    b["started_at"] = report.baseline->started_at;
    b["removed"] = report.baseline->removed;
  } else {
    j["baseline"] = nullptr;
  }

  Json tests = Json::array();
  for (const TestResult& t : report.results) tests.push_back(test_json(t, report.baseline.has_value()));
  j["tests"] = std::move(tests);

  // JSON has no NaN or infinity; a non-finite sample is a measuring bug and is left out.
  Json rtt = Json::array();
  for (double v : report.rtt_samples_us)
    if (std::isfinite(v)) rtt.push_back(v);
  j["rtt_samples_us"] = std::move(rtt);
  Json props = Json::object();
  for (const auto& [k, v] : report.properties) props[k] = v;
  j["properties"] = std::move(props);

  // Invalid UTF-8 from a target (e.g. IDENTIFY strings) becomes U+FFFD instead of throwing.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

bool write_results_json(const Report& report, const std::filesystem::path& path, std::string* error) {
  return write_text_file(path, to_results_json(report), error);
}

std::optional<Report> parse_results_json(std::string_view text, std::string* error) {
  try {
    return parse_report(Json::parse(text));
  } catch (const Json::parse_error& e) {
    if (error) *error = std::string("not valid JSON: ") + e.what();
  } catch (const SchemaError& e) {
    if (error) *error = e.what();
  } catch (const Json::exception& e) {  // defensive: a type error the checks above did not foresee
    if (error) *error = e.what();
  }
  return std::nullopt;
}

std::optional<Report> load_results(const std::filesystem::path& path, std::string* error) {
  const auto text = read_text_file(path, error);
  if (!text) return std::nullopt;
  std::string why;
  auto report = parse_results_json(*text, &why);
  if (!report && error) *error = path.string() + ": " + why;
  return report;
}

}  // namespace aoeh::reports
