// aoeh.certify(): the conformance catalogue (conformance/) from Python, against the embedded
// simulated shelf `aoeh certify --sim` uses, a target in a Python-built world, or a live session,
// with per-test verdict objects and the report writers of reports/ (html, junit, json, pcap).
#include <pybind11/stl.h>

#include <atomic>
#include <memory>

#include "bindings/certify_subjects.hpp"
#include "bindings/errors.hpp"
#include "bindings/handles.hpp"
#include "conformance/runner.hpp"
#include "conformance/selection.hpp"
#include "conformance/sim_shelf.hpp"
#include "protocol/pcap_file.hpp"
#include "reports/baseline.hpp"
#include "reports/html_report.hpp"
#include "reports/junit_xml.hpp"
#include "reports/results_json.hpp"
#include "reports/run_directory.hpp"
#include "reports/summary.hpp"

namespace aoeh::bindings {
namespace {

struct CertifyResults {
  std::shared_ptr<conformance::RunOutput> run;
};

std::vector<std::string> patterns_of(const py::object& select) {
  if (select.is_none()) return {};
  if (py::isinstance<py::str>(select)) return conformance::split_patterns(select.cast<std::string>());
  std::vector<std::string> out;
  for (auto item : select) out.push_back(item.cast<std::string>());
  return out;
}

std::vector<std::string> defects_of(const py::object& defect) {
  if (defect.is_none()) return {};
  if (py::isinstance<py::str>(defect)) return {defect.cast<std::string>()};
  return defect.cast<std::vector<std::string>>();
}

void write_pcap(const conformance::RunOutput& run, const std::string& path) {
  std::string why;
  auto writer = proto::PcapWriter::create(path, &why);
  if (!writer) throw py::value_error("cannot write " + path + ": " + why);
  for (const auto& f : run.capture)
    if (!writer->write(f.time, f.bytes)) throw py::value_error("write failed for " + path);
  if (!writer->flush()) throw py::value_error("write failed for " + path);
}

template <class Fn>
void write_file(const std::string& path, Fn&& fn) {
  std::string why;
  if (!fn(std::filesystem::path(path), &why)) throw py::value_error("cannot write " + path + ": " + why);
}

py::dict evidence_dict(const reports::EvidenceFrame& e) {
  py::dict d;
  d["sent"] = e.sent;
  d["time"] = to_seconds(e.time_ns);
  d["port"] = e.port;
  d["hex"] = e.hex;
  d["note"] = e.note;
  d["capture_index"] = e.capture_index ? py::object(py::int_(*e.capture_index)) : py::object(py::none());
  return d;
}

CertifyResults certify(const py::object& subject, const py::object& select, bool allow_write, bool read_only_target,
                       std::uint64_t seed, double loss, const py::object& defect, const py::object& target,
                       std::optional<std::string> baseline) {
  std::vector<std::string> unmatched;
  const auto patterns = patterns_of(select);
  const auto tests = conformance::select_tests(conformance::catalogue(), patterns, &unmatched);
  if (!unmatched.empty()) throw py::value_error("no conformance test matches '" + unmatched.front() + "'");
  std::optional<reports::Report> base;
  if (baseline) {
    std::string why;
    base = reports::load_results(*baseline, &why);
    if (!base) throw py::value_error(why);
  }
  if (!(loss >= 0 && loss <= 0.5)) throw py::value_error("loss must be within 0..0.5");

  CertifySubject s = certify_subject(subject, target, seed, loss, defects_of(defect), read_only_target);
  conformance::RunOptions ro;
  ro.target = s.target;
  ro.patterns = patterns;
  ro.allow_write = allow_write || s.disposable;  // the embedded shelf's disk is thrown away after
  ro.read_only_target = read_only_target;
  ro.fresh_start = s.fresh_start;
  ro.announce_window = s.announce_window;
  ro.mode = s.mode;
  ro.seed = seed;
  ro.run_id = s.live ? "python" : "sim";
  ro.started_at = s.live ? "live (python)" : "t=0 (simulated)";
  if (loss > 0) ro.timing.attempts = 6;  // lost frames are the network's doing, not the target's

  auto run = std::make_shared<conformance::RunOutput>();
  {
    std::optional<WorldState::Lock> lock;
    if (s.state) lock.emplace(*s.state);
    std::optional<py::gil_scoped_release> release;
    if (!s.state || !s.state->needs_gil()) release.emplace();
    *run = conformance::run_suite(*s.world, tests, ro);
  }
  if (s.state) s.state->rethrow_hook_error();
  if (run->exit_code == 2) throw Error("certify: " + run->environment_error);
  if (base) reports::apply_baseline(run->report, *base, *baseline);
  run->report.properties["world"] = s.mode;
  return CertifyResults{run};
}

}  // namespace

void bind_certify(py::module_& m) {
  py::class_<reports::TestResult>(m, "TestVerdict", "One conformance test's verdict and its evidence.")
      .def_readonly("name", &reports::TestResult::name, "AOE.<Area>.<Name>")
      .def_readonly("area", &reports::TestResult::area)
      .def_readonly("clause", &reports::TestResult::clause, "The spec clause it checks.")
      .def_property_readonly("level", [](const reports::TestResult& t) { return std::string(reports::level_name(t.level)); },
                             "'MUST', 'SHOULD' or 'MAY'.")
      .def_property_readonly("verdict",
                             [](const reports::TestResult& t) { return std::string(reports::verdict_name(t.verdict)); },
                             "'pass', 'fail', 'skip', 'n/a' or 'error'.")
      .def_readonly("message", &reports::TestResult::message, "Why it failed, skipped or errored.")
      .def_readonly("description", &reports::TestResult::description)
      .def_readonly("writes", &reports::TestResult::writes)
      .def_readonly("needs", &reports::TestResult::needs)
      .def_property_readonly("duration", [](const reports::TestResult& t) { return to_seconds(t.duration_ns); })
      .def_property_readonly("evidence",
                             [](const reports::TestResult& t) {
                               py::list out;
                               for (const auto& e : t.evidence) out.append(evidence_dict(e));
                               return out;
                             },
                             "Frames sent and received: [{'sent', 'time', 'port', 'hex', 'note', 'capture_index'}].")
      .def_property_readonly("passed", [](const reports::TestResult& t) { return t.verdict == reports::Verdict::Pass; })
      .def("__repr__", [](const reports::TestResult& t) {
        return "<aoeh.TestVerdict " + t.name + " " + reports::level_name(t.level) + " " + reports::verdict_name(t.verdict) + ">";
      });

  py::class_<CertifyResults>(m, "CertifyResults",
                             "A conformance run: every test's verdict, the device identity, the safety record, "
                             "and writers for report.html, junit.xml, results.json and capture.pcap.")
      .def_property_readonly("tests", [](const CertifyResults& r) { return r.run->report.results; },
                             "[aoeh.TestVerdict] in run order.")
      .def("__getitem__",
           [](const CertifyResults& r, const std::string& name) {
             for (const auto& t : r.run->report.results)
               if (t.name == name) return t;
             throw py::key_error(name);
           })
      .def("__len__", [](const CertifyResults& r) { return r.run->report.results.size(); })
      .def("__iter__",
           [](const CertifyResults& r) {
             return py::iter(py::cast(r.run->report.results));
           })
      .def_property_readonly("exit_code", [](const CertifyResults& r) { return r.run->exit_code; },
                             "What `aoeh certify` would exit with: 0 every MUST passed, 1 otherwise.")
      .def_property_readonly("passed", [](const CertifyResults& r) { return r.run->exit_code == 0; },
                             "Every MUST test passed.")
      .def_property_readonly("interrupted", [](const CertifyResults& r) { return r.run->interrupted; })
      .def_property_readonly("mode", [](const CertifyResults& r) { return r.run->report.mode; })
      .def_property_readonly("failures",
                             [](const CertifyResults& r) {
                               std::vector<reports::TestResult> out;
                               for (const auto& t : r.run->report.results)
                                 if (reports::is_failing(t.verdict)) out.push_back(t);
                               return out;
                             },
                             "Tests that failed or errored.")
      .def_property_readonly("counts",
                             [](const CertifyResults& r) {
                               const auto c = reports::summarize(r.run->report).all;
                               py::dict d;
                               d["pass"] = c.pass;
                               d["fail"] = c.fail;
                               d["skip"] = c.skip;
                               d["n/a"] = c.not_applicable;
                               d["error"] = c.error;
                               return d;
                             })
      .def_property_readonly("device",
                             [](const CertifyResults& r) {
                               const auto& d = r.run->report.device;
                               py::dict o;
                               o["address"] = d.address;
                               o["macs"] = d.macs;
                               o["firmware"] = d.firmware;
                               o["buffer_count"] = d.buffer_count;
                               o["sector_count"] = d.sector_count;
                               o["model"] = d.model;
                               o["serial"] = d.serial;
                               o["capacity_sectors"] = d.capacity_sectors;
                               o["lba48"] = d.lba48;
                               o["config_string"] = d.config_string;
                               return o;
                             })
      .def_property_readonly("safety",
                             [](const CertifyResults& r) {
                               const auto& s = r.run->report.safety;
                               py::dict o;
                               o["writes_allowed"] = s.writes_allowed;
                               o["touched"] = s.touched;
                               o["restored"] = s.restored;
                               o["restore_verified"] = s.restore_verified;
                               o["detail"] = s.detail;
                               return o;
                             })
      .def_property_readonly("frames_captured", [](const CertifyResults& r) { return r.run->capture.size(); })
      .def("to_html", [](const CertifyResults& r) { return reports::to_report_html(r.run->report); })
      .def("to_junit", [](const CertifyResults& r) { return reports::to_junit_xml(r.run->report); })
      .def("to_json", [](const CertifyResults& r) { return reports::to_results_json(r.run->report); },
           "results.json text (readable by aoeh certify --baseline).")
      .def("write_html",
           [](const CertifyResults& r, const std::string& p) {
             write_file(p, [&](const auto& path, std::string* why) { return reports::write_report_html(r.run->report, path, why); });
           },
           py::arg("path"))
      .def("write_junit",
           [](const CertifyResults& r, const std::string& p) {
             write_file(p, [&](const auto& path, std::string* why) { return reports::write_junit_xml(r.run->report, path, why); });
           },
           py::arg("path"))
      .def("write_json",
           [](const CertifyResults& r, const std::string& p) {
             write_file(p, [&](const auto& path, std::string* why) { return reports::write_results_json(r.run->report, path, why); });
           },
           py::arg("path"))
      .def("write_pcap", [](const CertifyResults& r, const std::string& p) { write_pcap(*r.run, p); }, py::arg("path"),
           "The frames the suite sent and received, as pcap.")
      .def("write_all",
           [](const CertifyResults& r, const std::string& dir) {
             std::string why;
             auto d = reports::RunDirectory::open_out(dir, &why);
             if (!d) throw py::value_error(why);
             write_pcap(*r.run, d->capture_pcap().string());
             if (!d->write_report(r.run->report, &why)) throw py::value_error(why);
             return d->report_html().string();
           },
           py::arg("dir"), "Writes the run directory `aoeh certify --out DIR` writes; returns report.html's path.")
      .def("__repr__", [](const CertifyResults& r) {
        const auto c = reports::summarize(r.run->report).all;
        return "<aoeh.CertifyResults " + std::to_string(c.pass) + " pass, " + std::to_string(c.fail) + " fail, " +
               std::to_string(c.error) + " error, exit " + std::to_string(r.run->exit_code) + ">";
      });

  m.def(
      "conformance_tests",
      [](const py::object& select) {
        std::vector<std::string> unmatched;
        const auto tests = conformance::select_tests(conformance::catalogue(), patterns_of(select), &unmatched);
        if (!unmatched.empty()) throw py::value_error("no conformance test matches '" + unmatched.front() + "'");
        py::list out;
        for (const auto* t : tests) {
          py::dict d;
          d["name"] = t->info.name;
          d["area"] = t->info.area();
          d["level"] = reports::level_name(t->info.level);
          d["writes"] = t->info.writes;
          d["needs"] = t->info.needs;
          d["clause"] = t->info.clause;
          d["description"] = t->info.description;
          out.append(d);
        }
        return out;
      },
      py::arg("select") = py::none(),
      "The conformance catalogue (what `aoeh certify --list` prints), optionally selected by glob(s): "
      "[{'name', 'area', 'level', 'writes', 'needs', 'clause', 'description'}].");

  m.def("certify", &certify, py::arg("subject") = py::none(), py::arg("select") = py::none(),
        py::arg("allow_write") = false, py::arg("read_only_target") = false, py::arg("seed") = 1,
        py::arg("loss") = 0.0, py::arg("defect") = py::none(), py::arg("target") = py::none(),
        py::arg("baseline") = py::none(),
        R"(Runs the AoE conformance suite and returns aoeh.CertifyResults.

subject: None or "sim" for the embedded simulated shelf `aoeh certify --sim` uses (device e1.1;
  `defect` names sim/target defects to give it, `loss` random loss per cable); an aoeh.Target
  (probes are added on its switches); an aoeh.World with target="eS.L"; or an aoeh.LiveSession
  with target="eS.L".
select: glob(s) of test names, e.g. "AOE.Header.*" or ["AOE.Identify.*", "AOE.Read*"] (default all).
allow_write: allow tests that change the target (saved first and restored); the embedded shelf is
  disposable and always allows them. Long runs release the GIL.)");
}

}  // namespace aoeh::bindings
