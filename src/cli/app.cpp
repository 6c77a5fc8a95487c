// Shared CLI plumbing (see app.hpp).
#include "cli/app.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/csv/writer.hpp"

namespace glyphsieve::cli {
namespace fs = std::filesystem;

// ---------------------------------------------------------------- resources

ResourceContext& resources(const GlobalOptions& global) {
  static std::unique_ptr<ResourceContext> ctx;
  if (!ctx) {
    std::string dir = global.resources_dir;
    if (dir.empty()) {
      if (const char* env = std::getenv("GLYPHSIEVE_RESOURCES")) dir = env;
    }
    ctx = std::make_unique<ResourceContext>(dir);
    for (const auto& f : ctx->unknown_override_files()) {
      fmt::print(stderr, "glyphsieve: warning: {}: not a known resource, ignored: {}\n", dir, f);
    }
  }
  return *ctx;
}

void add_io_options(CLI::App& cmd, IoOptions& io) {
  cmd.add_option("-i,--input", io.input, "Input CSV file, or - for stdin")->required();
  cmd.add_option("-o,--output", io.output, "Output CSV file, or - for stdout (default)");
  cmd.add_option("--rejects", io.rejects, "Write rejected rows here (CSV: line, reason, record)");
  cmd.add_flag("--strict", io.strict, "Fail on the first malformed row instead of rejecting it");
  cmd.add_flag("--safe-csv", io.safe_csv,
               "Prefix cells that begin with = + - @ tab or CR with an apostrophe, so spreadsheets show them "
               "as text instead of running them as formulas");
  cmd.add_option("--threads", io.threads,
                 "Worker threads for the stages (0 = one per core). The output is byte-identical for any value")
      ->check(CLI::Range(0u, 256u))
      ->capture_default_str();
}

// ---------------------------------------------------------------- signals and temporary files

namespace {
constexpr int kMaxTemps = 16;
char g_temps[kMaxTemps][4096];
volatile std::sig_atomic_t g_temp_used[kMaxTemps];

// Async-signal-safe: unlink(), write() and _exit() only.
void on_signal(int sig) {
  for (int i = 0; i < kMaxTemps; ++i) {
    if (g_temp_used[i]) ::unlink(g_temps[i]);
  }
  const char* msg = sig == SIGINT ? "glyphsieve: interrupted (SIGINT); unfinished output files removed\n"
                                  : "glyphsieve: terminated (SIGTERM); unfinished output files removed\n";
  const ssize_t ignored = ::write(STDERR_FILENO, msg, std::strlen(msg));
  (void)ignored;
  ::_exit(128 + sig);
}

int register_temp(const std::string& path) {
  for (int i = 0; i < kMaxTemps; ++i) {
    if (!g_temp_used[i] && path.size() < sizeof g_temps[i]) {
      std::memcpy(g_temps[i], path.c_str(), path.size() + 1);
      g_temp_used[i] = 1;
      return i;
    }
  }
  return -1;
}

void unregister_temp(const std::string& path) {
  for (int i = 0; i < kMaxTemps; ++i) {
    if (g_temp_used[i] && path == g_temps[i]) g_temp_used[i] = 0;
  }
}

bool same_file(const std::string& a, const std::string& b) {
  if (a == "-" || b == "-") return false;
  struct stat sa {};
  struct stat sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return a == b;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
}  // namespace

void install_signal_handlers() {
  // SIGPIPE keeps (or regains, if a parent ignored it) its default action: `glyphsieve ... | head`
  // then ends quietly the moment head stops reading, like any Unix filter.
  ::signal(SIGPIPE, SIG_DFL);
  // Past a file-size limit (ulimit -f) a write should fail with EFBIG and be reported like a full disk,
  // with the temporary file removed, rather than kill the process and leave the file behind.
  ::signal(SIGXFSZ, SIG_IGN);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

OutputFile::OutputFile(std::string path, const std::vector<std::string>& inputs) : path_(std::move(path)) {
  if (path_ == "-") return;
  for (const auto& in : inputs) {
    if (same_file(path_, in)) {
      throw Error(ExitCode::kUsage, fmt::format("refusing to write output '{}' over input '{}'", path_, in));
    }
  }
  std::error_code ec;
  fs::path target(path_);
  // A symbolic link: write beside, and rename onto, the file it points to (the link stays a link).
  for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
    const fs::path link = fs::read_symlink(target, ec);
    if (ec) break;
    target = link.is_absolute() ? link : target.parent_path() / link;
  }
  const auto st = fs::status(target, ec);
  if (fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st)) {
    // A device, FIFO or socket (/dev/stdout, /dev/full, a named pipe): it cannot be replaced by a
    // rename, so it is written directly; write errors are still reported.
    file_.open(target, std::ios::binary);
    if (!file_) throw_data_error(fmt::format("cannot write output '{}': {}", path_, std::strerror(errno)));
    direct_ = true;
    return;
  }
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) {
    throw_data_error(fmt::format("cannot write output '{}': folder '{}' does not exist", path_, dir.string()));
  }
  if (fs::is_directory(target, ec)) throw_data_error(fmt::format("cannot write output '{}': it is a folder", path_));
  std::string tmpl = (dir / fmt::format(".{}.glyphsieve-XXXXXX", target.filename().string())).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    throw_data_error(fmt::format("cannot write output '{}': {}", path_, std::strerror(errno)));
  }
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  temp_ = tmpl;
  final_ = target.string();
  register_temp(temp_);
  file_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!file_) throw_data_error(fmt::format("cannot write output '{}': {}", path_, std::strerror(errno)));
}

OutputFile::~OutputFile() {
  if (!temp_.empty() && !committed_) {
    file_.close();
    ::unlink(temp_.c_str());
    unregister_temp(temp_);
  }
}

std::ostream& OutputFile::stream() { return path_ == "-" ? std::cout : static_cast<std::ostream&>(file_); }

void OutputFile::commit() {
  if (path_ == "-") {
    std::cout.flush();
    if (!std::cout) throw_data_error("write error on standard output");
    committed_ = true;
    return;
  }
  file_.flush();
  if (!file_) throw_data_error(fmt::format("cannot write output '{}': {}", path_, std::strerror(errno)));
  file_.close();
  if (file_.fail()) throw_data_error(fmt::format("cannot write output '{}': {}", path_, std::strerror(errno)));
  if (direct_) {
    committed_ = true;
    return;
  }
  if (::rename(temp_.c_str(), final_.c_str()) != 0) {
    throw_data_error(fmt::format("cannot move output into place at '{}': {}", path_, std::strerror(errno)));
  }
  committed_ = true;
  unregister_temp(temp_);
}

InputFile::InputFile(const std::string& path) : path_(path) {
  if (path_ == "-") return;
  std::error_code ec;
  const auto st = fs::status(path_, ec);
  if (!fs::exists(st)) throw_data_error(fmt::format("cannot open input '{}': no such file", path_));
  if (fs::is_directory(st)) throw_data_error(fmt::format("cannot read input '{}': it is a folder", path_));
  file_.open(path_, std::ios::binary);
  if (!file_) throw_data_error(fmt::format("cannot open input '{}': {}", path_, std::strerror(errno)));
}

// ---------------------------------------------------------------- running a pipeline

std::string display_output(const std::string& path) { return path == "-" ? "standard output" : path; }

namespace {
// Where output rows go when the report is the command's only output (`glyphsieve report`).
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c == EOF ? 0 : c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};
}  // namespace

void run_pipeline(const std::string& command, Pipeline& pipeline, const IoOptions& io, const GlobalOptions& global,
                  const RunExtras& extras) {
  const bool say = !global.quiet;
  const std::string& working_dir = extras.working_dir;
  const bool want_report = extras.report && !extras.report->path.empty();
  const bool report_is_output = want_report && extras.report_is_output;
  InputFile input(io.input);
  std::vector<std::string> inputs = {io.input};
  const std::string shown_input = io.input == "-" ? "<stdin>" : io.input;
  report::ReportOptions report_options;
  if (want_report) {
    report_options = extras.report->options;
    if (report_options.source.empty()) report_options.source = shown_input;
    // The capacity matrix: every catalogue model at memory_model.yaml's matrix quantizations.
    if (!report_options.capacity_matrix) {
      ResourceContext& res = resources(global);
      const MemoryModelConfig& config = res.memory_model();
      auto spec = std::make_shared<report::CapacityMatrixSpec>(
          report::CapacityMatrixSpec{{}, {}, config.default_context, MemoryModel(config, res.quant_types())});
      for (const ModelSpec& m : res.model_catalog().models) spec->models.push_back(&m);
      for (const std::string& id : config.matrix_quants) spec->quants.push_back(res.quant_types().find(id));
      report_options.capacity_matrix = std::move(spec);
    }
    report::check_options(report_options);  // a usage error, before any output file exists
  }
  // Every output is opened (and so checked) before the first row is read.
  std::optional<OutputFile> output;
  if (!report_is_output) output.emplace(io.output, inputs);
  std::optional<OutputFile> report_file;
  std::optional<report::ReportCollector> collector;
  if (want_report) {
    if (!report_is_output && (extras.report->path == io.output || same_file(extras.report->path, io.output))) {
      throw Error(ExitCode::kUsage, io.output == "-" ? "--report and --output cannot both be standard output"
                                                     : "--report and --output name the same file");
    }
    report_file.emplace(extras.report->path, inputs);
  }
  const std::string& main_output = report_is_output ? extras.report->path : io.output;
  std::optional<OutputFile> rejects_file;
  std::optional<CsvWriter> rejects_writer;
  if (!io.rejects.empty()) {
    if (io.rejects == main_output || same_file(io.rejects, main_output)) {
      throw Error(ExitCode::kUsage, main_output == "-" ? "--rejects and --output cannot both be standard output"
                                                       : "--rejects and --output name the same file");
    }
    rejects_file.emplace(io.rejects, inputs);
    rejects_writer.emplace(rejects_file->stream(), io.rejects);
    rejects_writer->set_safe(io.safe_csv);
    rejects_writer->write_row({"line", "reason", "record"});
  }
  // Intermediates: stage_<name>.csv per stage.
  std::vector<std::unique_ptr<OutputFile>> stage_files;
  std::vector<std::unique_ptr<CsvWriter>> stage_writers;
  RunOptions options;
  options.strict = io.strict;
  options.threads = static_cast<int>(io.threads ? io.threads : std::max(1u, std::thread::hardware_concurrency()));
  if (!working_dir.empty()) {
    std::error_code ec;
    fs::create_directories(working_dir, ec);
    if (ec) throw_data_error(fmt::format("cannot create working folder '{}': {}", working_dir, ec.message()));
    for (const auto& stage : pipeline.stages()) {
      const std::string p = (fs::path(working_dir) / fmt::format("stage_{}.csv", stage->name())).string();
      stage_files.push_back(std::make_unique<OutputFile>(p, inputs));
      stage_writers.push_back(std::make_unique<CsvWriter>(stage_files.back()->stream(), p));
      stage_writers.back()->set_safe(io.safe_csv);
      options.intermediates.push_back(stage_writers.back().get());
    }
  }
  std::int64_t rejects_shown = 0;
  constexpr std::int64_t kShowRejects = 10;
  options.on_reject = [&](std::int64_t line, const std::string& reason, const Row& record, std::size_t width) {
    if (rejects_writer) {
      std::string raw;
      for (std::size_t i = 0; i < width && i < record.size(); ++i) {
        if (i) raw.push_back(',');
        CsvWriter::append_field(raw, record[i]);
      }
      rejects_writer->write_row({std::to_string(line), reason, raw});
    }
    if (rejects_shown++ < kShowRejects) {
      fmt::print(stderr, "glyphsieve: warning: {}:{}: row rejected: {}\n", shown_input, line, reason);
    }
  };
  // Notes (the header mapping, ...) are shown with the summary, after the run succeeded, so that the
  // first line on stderr of a failed run is always its error.
  std::vector<std::string> notes;
  options.on_note = [&](const std::string& stage, const std::string& note) {
    notes.push_back(fmt::format("glyphsieve {}: {}", stage, note));
  };
  if (report_file) {
    options.on_header = [&](const std::vector<std::string>& names) { collector.emplace(names, report_options); };
    options.on_row = [&](const Row& row, std::int64_t line, bool written) { collector->add(row, line, written); };
  }
  NullBuffer null_buffer;
  std::ostream null_stream(&null_buffer);
  CsvReader reader(input.stream(), io.input);
  CsvWriter writer(output ? output->stream() : null_stream, io.output);
  writer.set_safe(io.safe_csv);
  writer.set_discard(!output);
  const RunStats stats = pipeline.run(reader, writer, options);
  writer.flush();
  for (auto& w : stage_writers) w->flush();
  if (rejects_writer) rejects_writer->flush();
  if (report_file) {
    collector->add_rejected(stats.rejected);
    const report::Report rep = collector->finish();
    report_file->stream() << (extras.report->format == "json" ? report::render_json(rep)
                                                              : report::render_markdown(rep));
  }
  if (output) output->commit();
  for (auto& f : stage_files) f->commit();
  if (rejects_file) rejects_file->commit();
  if (report_file) report_file->commit();

  if (rejects_shown > kShowRejects) {
    fmt::print(stderr, "glyphsieve: warning: ... and {} more rejected rows\n", rejects_shown - kShowRejects);
  }
  if (stats.rejected > 0 && !rejects_writer) {
    fmt::print(stderr, "glyphsieve: note: {} rejected rows are not in the output; use --rejects FILE to keep them\n",
               stats.rejected);
  }
  if (say) {
    for (const auto& n : notes) fmt::print(stderr, "{}\n", n);
    for (const auto& s : stats.stages) {
      fmt::print(stderr, "glyphsieve {}: {:>9} rows  {:7.3f} s  {}\n", s.name, s.rows_in, s.seconds, s.summary);
    }
    // The row-accounting identity, checked by the tests on every run: read = written + rejected + filtered.
    fmt::print(stderr, "glyphsieve {}: {} rows read = {} written + {} rejected + {} filtered{}\n", command,
               stats.input_rows, stats.written, stats.rejected, stats.filtered,
               main_output == "-" ? "" : fmt::format(" -> {}", main_output));
    if (report_file && !report_is_output) {
      fmt::print(stderr, "glyphsieve {}: report -> {}\n", command, display_output(extras.report->path));
    }
    if (!extras.success.empty()) fmt::print(stderr, "{}\n", extras.success);
  }
}

}  // namespace glyphsieve::cli
