// Shared CLI plumbing: the options every data command takes, file opening, atomic outputs and the
// stderr summary. Only src/cli/ touches argv, the environment and real files.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "glyphsieve/core/sha256.hpp"
#include "glyphsieve/pipeline.hpp"
#include "glyphsieve/report/report.hpp"
#include "glyphsieve/resources/context.hpp"

namespace glyphsieve::cli {

/// Options shared by the whole program.
struct GlobalOptions {
  std::string resources_dir;  ///< --resources, else $GLYPHSIEVE_RESOURCES
  bool quiet = false;         ///< --quiet: no summary on stderr (errors still printed)
};

/// The ResourceContext for this run (created on first use from GlobalOptions).
ResourceContext& resources(const GlobalOptions& global);

/// I/O options of a row-processing command.
struct IoOptions {
  std::string input;
  std::string output = "-";
  std::string rejects;
  bool strict = false;
  bool safe_csv = false;  ///< --safe-csv: neutralise spreadsheet formulas in every CSV written
  unsigned threads = 0;   ///< --threads: worker threads for the stages; 0 = one per core
  bool dry_run = false;   ///< --dry-run: print the plan, read no row, write no file
};

/// Adds --input/-i, --output/-o, --rejects, --strict, --safe-csv, --threads and --dry-run to `cmd`.
void add_io_options(CLI::App& cmd, IoOptions& io);

/// Where an output goes: its path with symbolic links followed, and whether it is a device, FIFO or
/// socket (written in place, not renamed over).
struct OutputTarget {
  std::filesystem::path path;
  bool special = false;
};
/// The checks an output passes before anything is created (OutputFile's, and --dry-run's): not one of
/// `inputs` (usage Error), and unless special, its folder exists and it is not a folder (data Error).
/// REQUIRES: path != "-".
OutputTarget resolve_output(const std::string& path, const std::vector<std::string>& inputs);

/// An output written atomically: a temporary file beside the target, renamed on commit(), removed
/// if commit() is never reached (error, exception, SIGINT/SIGTERM). "-" writes to stdout; a device or
/// FIFO (/dev/stdout, /dev/full, a named pipe) is written directly, since it cannot be renamed over.
class OutputFile {
 public:
  /// Throws Error when `path` is one of `inputs` (refuses to overwrite input) or its folder is missing.
  /// `hold`: nothing reaches the destination before commit(), not even for "-" or a device (the text is
  /// kept in a temporary file, in $TMPDIR for those), so that commit() can still change it.
  OutputFile(std::string path, const std::vector<std::string>& inputs, bool hold = false);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream();
  /// Flushes, checks for write errors and renames into place. Throws Error on failure.
  void commit();
  /// commit() of a held output, with the `from` text at each of `offsets` (ascending, where the written
  /// text holds `from`) replaced by `to`.
  void commit(const std::vector<std::uint64_t>& offsets, std::string_view from, std::string_view to);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temp_;   // temporary file beside the target ("" for "-" and direct writes)
  std::string final_;  // where the temporary file is renamed to (the link target for a symlink)
  std::ofstream file_;
  bool direct_ = false;  // writing straight into a device or FIFO
  bool committed_ = false;
  std::string held_for_;  // a held "-" or device: where commit() copies the temporary file to
};

/// An input stream: stdin for "-", else the file (errors: missing, directory, unreadable).
class InputFile {
 public:
  explicit InputFile(const std::string& path);
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  std::istream& stream() { return stream_; }
  const std::string& name() const { return path_; }
  /// Whether reads are hashed (default: no; provenance turns it on before the first read).
  void hash_input(bool on) { buf_.hashing = on; }
  /// SHA-256 (hex, when hashing) and size of the bytes read through stream() so far.
  std::string sha256() const { return buf_.hash.hex(); }
  std::int64_t bytes() const { return buf_.bytes; }

 private:
  // Passes reads through to the file (or stdin) and hashes them on the way, for provenance.
  struct HashingBuf : std::streambuf {
    std::streambuf* source = nullptr;
    Sha256 hash;
    bool hashing = false;
    std::int64_t bytes = 0;
    char one = 0;
    std::streamsize xsgetn(char* s, std::streamsize n) override;
    int_type underflow() override;
  };
  std::string path_;
  std::ifstream file_;
  HashingBuf buf_;
  std::istream stream_{nullptr};
};

/// Installs SIGINT/SIGTERM handlers that remove pending temporary outputs and exit 130/143.
void install_signal_handlers();

/// --quantize-capacity / --force-quantize / --capacity-profile / --context / --quant (enrich, pipeline).
struct QuantizeOptions {
  bool capacity = false;
  bool force = false;
  std::string profile = "seed";  ///< seed: the seed rule only; realistic: also realistic_capacity.<model>
  std::int64_t context = 0;      ///< realistic profile's context; 0 = memory_model.yaml's default
  std::string quant;             ///< realistic profile's quantization; "" = memory_model.yaml's default
};
void add_quantize_options(CLI::App& cmd, QuantizeOptions& q);
/// The heuristics stage: quantization_capable always, quantization_capacity with q.capacity, and
/// realistic_capacity with the realistic profile. Usage Error for a profile option without its flag.
std::unique_ptr<Stage> make_heuristics_stage(ResourceContext& res, const QuantizeOptions& q);

/// The quantization type named `id` (case-insensitive); a usage Error with the nearest name otherwise.
const QuantType& quant_type(ResourceContext& res, const std::string& id);

/// "✅ Quantization capacity computed and added to output CSV → <output>".
std::string quantization_success(const std::string& output);

/// --weight-<name> for every scoring weight (score, pipeline).
struct WeightOptions {
  std::vector<std::pair<std::string, double>> overrides;
};
void add_weight_options(CLI::App& cmd, WeightOptions& w);
/// scoring_weights.yaml with the command-line overrides applied; usage Error when they sum to 0.
ScoringConfig scoring_config(ResourceContext& res, const WeightOptions& w);

/// The insight report options (report, pipeline --report), and the KPI outputs and gates that come with it.
struct ReportRequest {
  std::string path;           ///< empty: no report
  std::string format = "md";  ///< md | json | html
  report::ReportOptions options;
  std::string summary_json;          ///< --summary-json: provenance, KPIs and gates as JSON; empty: none
  std::vector<std::string> fail_if;  ///< --fail-if conditions, as given
  bool no_timings = false;           ///< --no-timings: no stage times in the report and summary
};
/// Adds --top, --price-limit, --anomaly-ratio, --include-invalid (and --format/--report-format under
/// `format_flag`).
void add_report_options(CLI::App& cmd, ReportRequest& r, const std::string& format_flag);
/// Adds --summary-json, --fail-if (repeatable) and --no-timings.
void add_gate_options(CLI::App& cmd, ReportRequest& r);

/// The command line after "glyphsieve", as given (for provenance); set once by main().
void set_arguments(int argc, char** argv);
const std::vector<std::string>& arguments();

/// Extras of a run beyond input -> output.
struct RunExtras {
  std::string working_dir;                ///< receives stage_<name>.csv intermediates when set
  const ReportRequest* report = nullptr;  ///< also write the insight report of the output rows
  bool report_is_output = false;          ///< the report replaces the CSV output (`glyphsieve report`)
  std::string success;                    ///< printed on stderr after success ("... → <output>"), unless --quiet
  bool frontier = false;                  ///< the last stage is a FrontierStage: mark on_frontier once every row is in
};

/// Runs `pipeline` from io.input to io.output, handling rejects, intermediates, the report and the
/// summary. Every output is committed only after the whole run succeeded.
void run_pipeline(const std::string& command, Pipeline& pipeline, const IoOptions& io, const GlobalOptions& global,
                  const RunExtras& extras = {});

/// Shown in messages for an output path ("standard output" for "-").
std::string display_output(const std::string& path);

/// One subcommand: its name and the function that registers it (ninja's kTools[] habit).
struct Command {
  const char* name;
  const char* summary;
  void (*add)(CLI::App& app, GlobalOptions& global);
};

void add_cat(CLI::App& app, GlobalOptions& global);
void add_clean(CLI::App& app, GlobalOptions& global);
void add_normalize(CLI::App& app, GlobalOptions& global);
void add_dedup(CLI::App& app, GlobalOptions& global);
void add_enrich(CLI::App& app, GlobalOptions& global);
void add_pipeline(CLI::App& app, GlobalOptions& global);
void add_registry(CLI::App& app, GlobalOptions& global);
void add_heuristics(CLI::App& app, GlobalOptions& global);
void add_tag_quantization(CLI::App& app, GlobalOptions& global);
void add_score(CLI::App& app, GlobalOptions& global);
void add_report(CLI::App& app, GlobalOptions& global);
void add_probe(CLI::App& app, GlobalOptions& global);
void add_fit(CLI::App& app, GlobalOptions& global);
void add_models(CLI::App& app, GlobalOptions& global);

}  // namespace glyphsieve::cli
