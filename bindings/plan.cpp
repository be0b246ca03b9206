// Worlds from scenario JSON plans: aoeh.World.from_plan() parses with the fault plan parser
// (faults/plan_parser.hpp, the one `aoeh sim` uses) and runs with faults::run_plan, so a plan and a
// seed give the same event log hash and the same results.json numbers here as on the command line.
#include <pybind11/stl.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "bindings/plan_backends.hpp"
#include "faults/plan_parser.hpp"
#include "faults/report.hpp"
#include "faults/scenario.hpp"

namespace aoeh::bindings {
namespace {

using faults::Plan;
using faults::ScenarioResult;

struct PlanWorld {
  std::shared_ptr<const Plan> plan;
  std::optional<std::uint64_t> seed;  // overrides the plan's
  std::string source;                 // file name, or "<dict>"
  std::string backend = "sim";
};

struct PlanRunResult {
  std::shared_ptr<const Plan> plan;
  std::shared_ptr<const ScenarioResult> result;
};

// The parser's message carries the field path; PlanError gets both.
[[noreturn]] void plan_failed(const std::string& source, const faults::PlanError& e) {
  raise_plan_error(source + ": " + e.to_string(), e.path);
}

PlanWorld from_plan(const py::object& plan, std::optional<std::uint64_t> seed, const std::string& backend) {
  PlanWorld w;
  w.seed = seed;
  check_plan_backend(backend);
  w.backend = backend;
  faults::PlanResult parsed;
  if (py::isinstance<py::dict>(plan)) {
    // The dict goes through JSON text so the one parser (and its error paths) judges it.
    std::string text;
    try {
      text = py::module_::import("json").attr("dumps")(plan).cast<std::string>();
    } catch (py::error_already_set& e) {
      raise_plan_error("plan dict is not JSON-serialisable: " + std::string(e.what()), "");
    }
    w.source = "<dict>";
    parsed = faults::parse_plan(text);
  } else if (py::isinstance<py::str>(plan) || py::hasattr(plan, "__fspath__")) {
    w.source = py::module_::import("os").attr("fspath")(plan).cast<std::string>();
    parsed = faults::load_plan(w.source);
  } else {
    throw py::type_error("from_plan expects a file path or a dict holding the plan's JSON");
  }
  if (!parsed.ok()) plan_failed(w.source, parsed.error);
  w.plan = std::make_shared<const Plan>(std::move(*parsed.plan));
  return w;
}

py::object json_to_python(const nlohmann::json& j) { return py::module_::import("json").attr("loads")(j.dump()); }

py::dict stats_dict(const faults::FaultStats& s) {
  py::dict d;
  for (const auto& [k, v] : s) d[py::str(k)] = v;
  return d;
}

PlanRunResult run(const PlanWorld& w, std::optional<std::string> pcap, bool timeline) {
  faults::RunOptions options;
  options.seed = w.seed;
  options.pcap_path = pcap.value_or("");
  options.timeline = timeline;
  auto result = std::make_shared<ScenarioResult>();
  {
    py::gil_scoped_release release;  // nothing in a plan run calls Python
    try {
      *result = run_plan_on(w.backend, *w.plan, options);
    } catch (const PlanBackendError& e) {
      py::gil_scoped_acquire acquire;
      raise_plan_error(w.source + ": " + e.what(), e.path);
    } catch (const std::runtime_error& e) {
      py::gil_scoped_acquire acquire;
      throw Error(e.what());
    }
  }
  return PlanRunResult{w.plan, result};
}

std::string summary_text(const PlanRunResult& r) {
  std::ostringstream out;
  faults::print_summary(out, *r.plan, *r.result);
  return out.str();
}

std::string timeline_text(const PlanRunResult& r) {
  std::ostringstream out;
  faults::print_timeline(out, *r.result);
  return out.str();
}

}  // namespace

void bind_plans(py::module_& m) {
  py::class_<PlanWorld>(m, "PlanWorld",
                        "A world described by a scenario JSON plan (faults/README.md): topology, targets, "
                        "workload, faults, actions and expectations. Made by World.from_plan(); run() runs it "
                        "exactly as `aoeh sim PLAN.json --seed N` does.")
      .def_property_readonly("name", [](const PlanWorld& w) { return w.plan->name; })
      .def_property_readonly("description", [](const PlanWorld& w) { return w.plan->description; })
      .def_property_readonly("seed", [](const PlanWorld& w) { return w.seed.value_or(w.plan->seed); },
                             "The seed run() uses (from_plan's seed, else the plan's).")
      .def_property_readonly("backend", [](const PlanWorld& w) { return w.backend; })
      .def_property_readonly("source", [](const PlanWorld& w) { return w.source; })
      .def_property_readonly("targets",
                             [](const PlanWorld& w) {
                               std::vector<std::string> out;
                               for (const auto& t : w.plan->targets) out.push_back(t.address.to_string());
                               return out;
                             },
                             "Target addresses in plan order.")
      .def_property_readonly("paths",
                             [](const PlanWorld& w) {
                               std::vector<std::string> out;
                               for (const auto& p : w.plan->paths) out.push_back(p.name);
                               return out;
                             })
      .def_property_readonly("initiator_ports",
                             [](const PlanWorld& w) {
                               std::vector<std::string> out;
                               for (const auto& p : w.plan->initiator_ports) out.push_back(p.name);
                               return out;
                             })
      .def_property_readonly("faults",
                             [](const PlanWorld& w) {
                               std::vector<std::string> out;
                               for (const auto& f : w.plan->faults)
                                 out.push_back(std::string(faults::fault_type_name(f.type)) + " on " + f.site.name);
                               return out;
                             },
                             "Each fault as 'TYPE on SITE', in plan order.")
      .def("run", &run, py::arg("pcap") = py::none(), py::arg("timeline") = true,
           "Runs the plan (releasing the GIL) and returns a PlanResult. pcap: file for the capture "
           "(the plan's `capture` says which ports); timeline=False skips the timeline text (faster).")
      .def("__repr__", [](const PlanWorld& w) {
        return "<aoeh.PlanWorld " + w.plan->name + " seed=" + std::to_string(w.seed.value_or(w.plan->seed)) +
               " backend=" + w.backend + ">";
      });

  py::class_<PlanRunResult>(m, "PlanResult",
                            "What a plan run produced: the verdict, expectations, faults with their counters, "
                            "devices, metrics, durability and the simulation figures (the numbers of results.json).")
      .def_property_readonly("passed", [](const PlanRunResult& r) { return r.result->passed; },
                             "Every expectation held (and no durability violation when verifying).")
      .def_property_readonly("plan_name", [](const PlanRunResult& r) { return r.result->plan_name; })
      .def_property_readonly("seed", [](const PlanRunResult& r) { return r.result->seed; })
      .def_property_readonly("event_hash", [](const PlanRunResult& r) { return r.result->event_hash; },
                             "Hash of the simulator's event log (same plan and seed: same hash).")
      .def_property_readonly("events", [](const PlanRunResult& r) { return r.result->events; },
                             "Simulator events processed.")
      .def_property_readonly("simulated", [](const PlanRunResult& r) { return to_seconds(r.result->simulated); },
                             "Simulated seconds.")
      .def_property_readonly("wall_seconds", [](const PlanRunResult& r) { return r.result->wall_seconds; })
      .def_property_readonly("metrics", [](const PlanRunResult& r) { return r.result->metrics; },
                             "results.json metrics: initiator.*, io.*, durability.*, ...")
      .def_property_readonly("expectations",
                             [](const PlanRunResult& r) {
                               py::list out;
                               for (const auto& e : r.result->expectations)
                                 out.append(py::dict(py::arg("text") = e.text, py::arg("passed") = e.passed,
                                                     py::arg("detail") = e.detail));
                               return out;
                             },
                             "[{'text', 'passed', 'detail'}] in plan order.")
      .def_property_readonly("faults",
                             [](const PlanRunResult& r) {
                               py::list out;
                               for (const auto& f : r.result->faults)
                                 out.append(py::dict(py::arg("type") = f.type, py::arg("site") = f.site,
                                                     py::arg("at") = to_seconds(f.at),
                                                     py::arg("duration") = f.duration == sim::kNever
                                                                               ? py::object(py::none())
                                                                               : py::float_(to_seconds(f.duration)),
                                                     py::arg("stats") = stats_dict(f.stats)));
                               return out;
                             },
                             "[{'type', 'site', 'at', 'duration', 'stats'}]: what each fault did.")
      .def_property_readonly("devices",
                             [](const PlanRunResult& r) {
                               py::list out;
                               for (const auto& d : r.result->devices)
                                 out.append(py::dict(py::arg("address") = d.address, py::arg("state") = d.state,
                                                     py::arg("capacity_sectors") = d.capacity_sectors,
                                                     py::arg("payload_sectors") = d.payload_sectors));
                               return out;
                             },
                             "[{'address', 'state', 'capacity_sectors', 'payload_sectors'}] at the end.")
      .def_property_readonly("timeline",
                             [](const PlanRunResult& r) {
                               std::vector<std::pair<double, std::string>> out;
                               for (const auto& t : r.result->timeline) out.emplace_back(to_seconds(t.time), t.what);
                               return out;
                             },
                             "[(seconds, text)] as `aoeh sim` prints it.")
      .def_property_readonly("violations", [](const PlanRunResult& r) { return r.result->durability.violations(); },
                             "Durability violations found (lost + corrupted + phantom).")
      .def_property_readonly("pcap_path", [](const PlanRunResult& r) { return r.result->pcap_path; })
      .def_property_readonly("frames_captured", [](const PlanRunResult& r) { return r.result->frames_captured; })
      .def_property_readonly("summary", &summary_text, "The summary `aoeh sim` prints.")
      .def_property_readonly("timeline_text", &timeline_text, "The timeline `aoeh sim` prints.")
      .def("to_dict", [](const PlanRunResult& r) { return json_to_python(faults::result_to_json(*r.plan, *r.result)); },
           "The results.json document `aoeh sim` writes, as Python objects.")
      .def("write_json",
           [](const PlanRunResult& r, const std::string& path) {
             std::ofstream out(path);
             out << faults::result_to_json(*r.plan, *r.result).dump(2) << "\n";
             if (!out) throw py::value_error("cannot write " + path);
           },
           py::arg("path"), "Writes results.json (the same document `aoeh sim` writes).")
      .def("__bool__", [](const PlanRunResult& r) { return r.result->passed; })
      .def("__repr__", [](const PlanRunResult& r) {
        return "<aoeh.PlanResult " + r.result->plan_name + " seed=" + std::to_string(r.result->seed) +
               (r.result->passed ? " passed" : " FAILED") + ">";
      });

  py::dict backends;
  for (const char* b : {"sim", "ns3"}) backends[b] = backend_unavailable(b);
  m.attr("PLAN_BACKENDS") = backends;

  world_class(m).def_static("from_plan", &from_plan, py::arg("plan"), py::arg("seed") = py::none(),
                            py::arg("backend") = "sim",
                            "A PlanWorld from a scenario JSON plan: a file path or a dict of the same JSON. "
                            "Parsed by the fault plan parser `aoeh sim` uses; an invalid plan raises "
                            "aoeh.PlanError whose .path names the offending field (e.g. 'faults[2].target'). "
                            "seed overrides the plan's. backend: 'sim' (the aoeh simulator) or 'ns3' (the ns-3 network "
                            "models; aoeh.PLAN_BACKENDS['ns3'] says why when unavailable; faults ns-3 cannot express "
                            "raise PlanError naming the fault).");
}

}  // namespace aoeh::bindings
