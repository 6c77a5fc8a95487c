// glyphsieve entry point: the command table, argument parsing, and the mapping of errors to exit codes.
#include <iostream>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/version.hpp"

namespace {

using glyphsieve::cli::Command;

// Every subcommand, in the order `--help` lists them.
constexpr Command kCommands[] = {
    {"pipeline", "Run clean -> normalize -> [dedup] -> enrich -> heuristics -> score [-> report] in one pass",
     glyphsieve::cli::add_pipeline},
    {"cat", "Re-emit a CSV unchanged: validate it, normalise quoting and line ends, account for every row",
     glyphsieve::cli::add_cat},
    {"clean", "Map header spellings to canonical names and parse prices", glyphsieve::cli::add_clean},
    {"normalize", "Identify the GPU model of each listing (canonical_model, is_valid_gpu, gpu_count)",
     glyphsieve::cli::add_normalize},
    {"dedup", "Flag duplicate listings (same URL, or same model+seller+title at a price within 1%)",
     glyphsieve::cli::add_dedup},
    {"enrich", "Add GPU specifications from the registry, and the quantization heuristics",
     glyphsieve::cli::add_enrich},
    {"tag-quantization", "Add quantization_capable to any CSV with vram_gb, tdp_watts and mig_support",
     glyphsieve::cli::add_tag_quantization},
    {"score", "Score each listing 0-100 from its specs and price (weights in scoring_weights.yaml)",
     glyphsieve::cli::add_score},
    {"report", "Write the insight report (Markdown or JSON) of a scored CSV", glyphsieve::cli::add_report},
    {"probe", "List the local NVIDIA GPUs as listing rows (from nvidia-smi), ready for 'fit'",
     glyphsieve::cli::add_probe},
    {"fit", "Which listings can serve a model: instances, max context, best quantization, tokens/s, $ per instance",
     glyphsieve::cli::add_fit},
    {"models", "List the LLM catalogue and the quantization types 'fit' knows", glyphsieve::cli::add_models},
    {"heuristics", "List or show the heuristic strategies", glyphsieve::cli::add_heuristics},
    {"registry", "List or show the GPU models glyphsieve knows", glyphsieve::cli::add_registry},
};

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0    success\n"
    "  1    data, configuration or I/O error (bad input, bad resource file, unwritable output)\n"
    "  2    usage error (unknown option, missing argument, output would overwrite input)\n"
    "  3    a --fail-if gate failed (the outputs were written; the failing KPIs are on stderr)\n"
    "  130  interrupted (SIGINT); 143 terminated (SIGTERM)\n"
    "\"-\" means stdin/stdout. Data goes to stdout, messages to stderr.";

int run(int argc, char** argv) {
  glyphsieve::cli::install_signal_handlers();
  glyphsieve::cli::set_arguments(argc, argv);
  CLI::App app{"glyphsieve: turn messy GPU listing CSVs into trustworthy data", "glyphsieve"};
  app.set_version_flag("-V,--version", "glyphsieve " + glyphsieve::version_string());
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.fallthrough();  // global options (--resources, -q) may also follow the command
  glyphsieve::cli::GlobalOptions global;
  app.add_option("--resources", global.resources_dir,
                 "Folder whose YAML files override the built-in resources, file by file "
                 "(default: $GLYPHSIEVE_RESOURCES)");
  app.add_flag("-q,--quiet", global.quiet, "No summary on stderr (warnings and errors are still printed)");
  for (const auto& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->footer(std::string("Global options, accepted before or after the command:\n"
                            "  --resources DIR             Override built-in resources file by file "
                            "(default: $GLYPHSIEVE_RESOURCES)\n"
                            "  -q,--quiet                  No summary on stderr\n\n") +
                kExitCodes);
    c.add(*sub, global);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "glyphsieve: error: {}\nRun 'glyphsieve --help' (or 'glyphsieve <command> --help') for usage.\n",
               e.what());
    return static_cast<int>(glyphsieve::ExitCode::kUsage);
  } catch (const glyphsieve::Error& e) {
    std::cout.flush();
    // A failed gate is a verdict on the data, not an error of the run: its lines are already on stderr.
    fmt::print(stderr, "glyphsieve: {}{}\n", e.code() == glyphsieve::ExitCode::kGateFailed ? "" : "error: ", e.what());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "glyphsieve: error: out of memory\n");
    return static_cast<int>(glyphsieve::ExitCode::kDataError);
  } catch (const std::exception& e) {
    fmt::print(stderr, "glyphsieve: error: {}\n", e.what());
    return static_cast<int>(glyphsieve::ExitCode::kDataError);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // Building the command table can throw too (CLI11 rejects a malformed option spec, allocation can
  // fail): nothing escapes main without a message and an exit code.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "glyphsieve: internal error: {}\n", e.what());
  } catch (...) {
    fmt::print(stderr, "glyphsieve: internal error\n");
  }
  return static_cast<int>(glyphsieve::ExitCode::kDataError);
}
