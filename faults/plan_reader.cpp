#include "faults/plan_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace aoeh::faults::detail {

std::string type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

Obj::Obj(const json& j, std::string path) : j_(j), path_(std::move(path)) {
  if (!j_.is_object()) fail(path_, "expected an object, got " + type_name(j_));
}

void Obj::allow(std::initializer_list<const char*> keys) {
  allowed_.assign(keys.begin(), keys.end());
  check_unknown();
}

void Obj::declare(std::initializer_list<const char*> keys) { allowed_.assign(keys.begin(), keys.end()); }

void Obj::allow_more(std::initializer_list<const char*> keys) {
  allowed_.insert(allowed_.end(), keys.begin(), keys.end());
  check_unknown();
}

void Obj::check_unknown() const {
  for (const auto& [key, value] : j_.items()) {
    if (std::find(allowed_.begin(), allowed_.end(), key) != allowed_.end()) continue;
    std::string list;
    for (const auto& k : allowed_) list += (list.empty() ? "" : ", ") + k;
    fail(at(key), "unknown key (expected one of: " + list + ")");
  }
}

const json* Obj::get(const char* key) const {
  auto it = j_.find(key);
  return it == j_.end() ? nullptr : &*it;
}

const json& Obj::require(const char* key) const {
  const json* v = get(key);
  if (!v) fail(at(key), "required");
  return *v;
}

std::optional<std::string> Obj::string(const char* key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail(at(key), "expected a string, got " + type_name(*v));
  return v->get<std::string>();
}

std::optional<bool> Obj::boolean(const char* key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) fail(at(key), "expected true or false, got " + type_name(*v));
  return v->get<bool>();
}

std::optional<double> Obj::number(const char* key, double min, double max) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) fail(at(key), "expected a number, got " + type_name(*v));
  const double d = v->get<double>();
  if (!(d >= min && d <= max)) {
    char b[96];
    std::snprintf(b, sizeof b, "must be between %g and %g", min, max);
    fail(at(key), b);
  }
  return d;
}

std::optional<std::uint64_t> Obj::integer(const char* key, std::uint64_t min, std::uint64_t max) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) fail(at(key), "expected a whole number, got " + (v->is_number() ? v->dump() : type_name(*v)));
  if (v->is_number_unsigned() || v->get<std::int64_t>() >= 0) {
    const std::uint64_t u = v->get<std::uint64_t>();
    if (u >= min && u <= max) return u;
  }
  fail(at(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
}

std::optional<double> Obj::probability(const char* key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (v->is_string()) {  // "5%"
    const std::string s = v->get<std::string>();
    if (!s.empty() && s.back() == '%') {
      char* end = nullptr;
      const std::string num = s.substr(0, s.size() - 1);
      const double d = std::strtod(num.c_str(), &end);
      if (end == num.c_str() + num.size() && !num.empty() && d >= 0 && d <= 100) return d / 100;
    }
    fail(at(key), "expected a probability (0..1 or \"5%\"), got \"" + s + "\"");
  }
  return number(key, 0.0, 1.0);
}

std::optional<Nanos> Obj::duration(const char* key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail(at(key), "expected a duration with a unit like \"250ms\", got " + type_name(*v));
  std::string why;
  auto d = parse_duration(v->get<std::string>(), &why);
  if (!d) fail(at(key), why);
  return d;
}

std::optional<std::uint64_t> Obj::size(const char* key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (v->is_number_integer() && v->get<std::int64_t>() >= 0) return v->get<std::uint64_t>();
  if (!v->is_string()) fail(at(key), "expected a size like \"64KiB\", got " + type_name(*v));
  std::string why;
  auto s = parse_size(v->get<std::string>(), &why);
  if (!s) fail(at(key), why);
  return s;
}

std::optional<std::uint64_t> Obj::rate(const char* key) const {
  const json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail(at(key), "expected a rate like \"1Gbit/s\", got " + type_name(*v));
  std::string why;
  auto r = parse_rate(v->get<std::string>(), &why);
  if (!r) fail(at(key), why);
  return r;
}

std::optional<proto::MacAddress> Obj::mac(const char* key) const {
  auto s = string(key);
  if (!s) return std::nullopt;
  auto m = proto::MacAddress::parse(*s);
  if (!m) fail(at(key), "expected a MAC address like \"02:00:00:00:00:01\", got \"" + *s + "\"");
  return m;
}

std::optional<proto::DeviceAddress> Obj::address(const char* key) const {
  auto s = string(key);
  if (!s) return std::nullopt;
  auto a = proto::DeviceAddress::parse(*s);
  if (!a || a->is_broadcast_shelf() || a->is_broadcast_slot())
    fail(at(key), "expected a device address like \"e1.0\", got \"" + *s + "\"");
  return a;
}

}  // namespace aoeh::faults::detail
