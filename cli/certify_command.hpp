#pragma once
// `aoeh certify`: run the conformance catalogue against the simulated shelf or a live target.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>

namespace aoeh::cli {

struct CertifyOptions {
  bool sim = false;
  std::string defect;          // --sim --defect NAME
  std::string iface;           // --iface IF (live)
  std::string target;          // --target eS.L
  bool list = false;
  std::string tests;           // --tests GLOB[,GLOB]
  bool allow_write = false;
  bool read_only_target = false;
  std::string out;             // --out DIR
  std::string baseline;        // --baseline OLD/results.json
  bool json = false;
  std::uint64_t seed = 1;
  double loss = 0.0;           // --sim: random loss per cable
};

// Registration lives in cli/commands.hpp (add_certify_command); this runs a parsed command line.
int run_certify(const CertifyOptions& options, std::ostream& out, std::ostream& err);

}  // namespace aoeh::cli
