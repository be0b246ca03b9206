#pragma once
// A strict reader over one JSON object of a plan: every key must be declared (unknown keys fail
// before anything else is read), every value is type- and unit-checked, and every failure names
// the JSON path of the field. Internal to the parser.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "faults/plan_parser.hpp"
#include "faults/units.hpp"

namespace aoeh::faults::detail {

using json = nlohmann::json;

struct PlanFailure {
  PlanError error;
};

[[noreturn]] inline void fail(std::string path, std::string message) {
  throw PlanFailure{PlanError{std::move(path), std::move(message)}};
}

inline std::string join_path(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}
inline std::string index_path(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }

class Obj {
 public:
  Obj(const json& j, std::string path);

  // Declares the keys this object may have; an undeclared key fails here, naming it.
  void allow(std::initializer_list<const char*> keys);
  void declare(std::initializer_list<const char*> keys);  // like allow, checked by a later allow_more
  void allow_more(std::initializer_list<const char*> keys);
  void check_unknown() const;

  const std::string& path() const { return path_; }
  std::string at(const std::string& key) const { return join_path(path_, key); }
  bool has(const char* key) const { return j_.contains(key); }
  const json* get(const char* key) const;
  const json& require(const char* key) const;

  std::optional<std::string> string(const char* key) const;
  std::optional<bool> boolean(const char* key) const;
  std::optional<double> number(const char* key, double min, double max) const;
  std::optional<std::uint64_t> integer(const char* key, std::uint64_t min, std::uint64_t max) const;
  std::optional<double> probability(const char* key) const;
  std::optional<Nanos> duration(const char* key) const;  // non-negative
  std::optional<std::uint64_t> size(const char* key) const;
  std::optional<std::uint64_t> rate(const char* key) const;
  std::optional<proto::MacAddress> mac(const char* key) const;
  std::optional<proto::DeviceAddress> address(const char* key) const;

 private:
  const json& j_;
  std::string path_;
  std::vector<std::string> allowed_;
};

// The JSON type of a value in words ("a string", "a number", ...).
std::string type_name(const json& j);

}  // namespace aoeh::faults::detail
