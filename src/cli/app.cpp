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
#include <limits>
#include <thread>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/sha256.hpp"
#include "glyphsieve/core/version.hpp"
#include "glyphsieve/csv/writer.hpp"
#include "glyphsieve/stages/frontier.hpp"

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
  cmd.add_flag("--dry-run", io.dry_run,
               "Print the plan (stages, strategies, resources with origins and sha256, thresholds, outputs) "
               "and stop: no row is read and no file is written");
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

namespace {
// A temporary file from `tmpl` (mkstemp), with the permissions a new file would get; registered for
// removal on a signal. Throws Error naming `shown` on failure.
std::string make_temp(std::string tmpl, const std::string& shown) {
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw_data_error(fmt::format("cannot write output '{}': {}", shown, std::strerror(errno)));
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  register_temp(tmpl);
  return tmpl;
}
}  // namespace

OutputTarget resolve_output(const std::string& path, const std::vector<std::string>& inputs) {
  for (const auto& in : inputs) {
    if (same_file(path, in)) {
      throw Error(ExitCode::kUsage, fmt::format("refusing to write output '{}' over input '{}'", path, in));
    }
  }
  std::error_code ec;
  OutputTarget out{fs::path(path), false};
  // A symbolic link: write beside, and rename onto, the file it points to (the link stays a link).
  for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(out.path, ec)); ++hops) {
    const fs::path link = fs::read_symlink(out.path, ec);
    if (ec) break;
    out.path = link.is_absolute() ? link : out.path.parent_path() / link;
  }
  const auto st = fs::status(out.path, ec);
  out.special = fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st);
  if (out.special) return out;
  const fs::path dir = out.path.has_parent_path() ? out.path.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) {
    throw_data_error(fmt::format("cannot write output '{}': folder '{}' does not exist", path, dir.string()));
  }
  if (fs::is_directory(out.path, ec)) throw_data_error(fmt::format("cannot write output '{}': it is a folder", path));
  return out;
}

OutputFile::OutputFile(std::string path, const std::vector<std::string>& inputs, bool hold) : path_(std::move(path)) {
  if (path_ == "-") {
    if (hold) {
      held_for_ = "-";
      temp_ = make_temp((fs::temp_directory_path() / "glyphsieve-held-XXXXXX").string(), "standard output");
      file_.open(temp_, std::ios::binary | std::ios::trunc);
      if (!file_) throw_data_error(fmt::format("cannot hold standard output in '{}': {}", temp_, std::strerror(errno)));
    }
    return;
  }
  const OutputTarget where = resolve_output(path_, inputs);
  const fs::path& target = where.path;
  if (where.special) {
    // A device, FIFO or socket (/dev/stdout, /dev/full, a named pipe): it cannot be replaced by a
    // rename, so it is written directly (or, held, at commit); write errors are still reported.
    if (hold) {
      held_for_ = target.string();
      temp_ = make_temp((fs::temp_directory_path() / "glyphsieve-held-XXXXXX").string(), path_);
      file_.open(temp_, std::ios::binary | std::ios::trunc);
    } else {
      file_.open(target, std::ios::binary);
      direct_ = true;
    }
    if (!file_) throw_data_error(fmt::format("cannot write output '{}': {}", path_, std::strerror(errno)));
    return;
  }
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  temp_ = make_temp((dir / fmt::format(".{}.glyphsieve-XXXXXX", target.filename().string())).string(), path_);
  final_ = target.string();
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

std::ostream& OutputFile::stream() {
  return path_ == "-" && held_for_.empty() ? std::cout : static_cast<std::ostream&>(file_);
}

void OutputFile::commit() { commit({}, {}, {}); }

void OutputFile::commit(const std::vector<std::uint64_t>& offsets, std::string_view from, std::string_view to) {
  if (path_ == "-" && held_for_.empty()) {
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
  if (held_for_.empty() && offsets.empty()) {
    if (::rename(temp_.c_str(), final_.c_str()) != 0) {
      throw_data_error(fmt::format("cannot move output into place at '{}': {}", path_, std::strerror(errno)));
    }
    committed_ = true;
    unregister_temp(temp_);
    return;
  }
  // Copy the text to its destination (stdout, the device, or a second temporary file renamed into place),
  // making the replacements on the way.
  std::ifstream in(temp_, std::ios::binary);
  std::ofstream file;
  std::string edited;  // the second temporary file of a regular output
  if (held_for_.empty()) {
    const fs::path target(final_);
    edited = make_temp(((target.has_parent_path() ? target.parent_path() : fs::path(".")) /
                        fmt::format(".{}.glyphsieve-XXXXXX", target.filename().string()))
                           .string(),
                       path_);
    file.open(edited, std::ios::binary | std::ios::trunc);
  } else if (held_for_ != "-") {
    file.open(held_for_, std::ios::binary);
  }
  std::ostream& out = held_for_ == "-" ? std::cout : static_cast<std::ostream&>(file);
  const auto remove_edited = [&] {
    if (edited.empty()) return;
    ::unlink(edited.c_str());
    unregister_temp(edited);
  };
  if (!in || !out) {
    remove_edited();
    throw_data_error(fmt::format("cannot write output '{}': {}", path_, std::strerror(errno)));
  }
  std::vector<char> buf(1 << 20);
  std::uint64_t at = 0;
  const auto copy_until = [&](std::uint64_t until) {
    while (at < until && in) {
      const auto n = static_cast<std::streamsize>(std::min<std::uint64_t>(buf.size(), until - at));
      in.read(buf.data(), n);
      out.write(buf.data(), in.gcount());
      at += static_cast<std::uint64_t>(in.gcount());
    }
  };
  std::string seen(from.size(), '\0');
  for (const std::uint64_t offset : offsets) {
    copy_until(offset);
    in.read(seen.data(), static_cast<std::streamsize>(seen.size()));
    if (at != offset || in.gcount() != static_cast<std::streamsize>(seen.size()) || seen != from) {
      remove_edited();
      throw Error(
          ExitCode::kDataError,
          fmt::format("internal error: '{}' at byte {} of output '{}' is not what was written", from, offset, path_));
    }
    out << to;
    at += from.size();
  }
  copy_until(std::numeric_limits<std::uint64_t>::max());
  out.flush();
  if (in.bad() || !out) {
    remove_edited();
    throw_data_error(fmt::format("cannot write output '{}': {}", display_output(path_), std::strerror(errno)));
  }
  if (file.is_open()) {
    file.close();
    if (file.fail()) {
      remove_edited();
      throw_data_error(fmt::format("cannot write output '{}': {}", path_, std::strerror(errno)));
    }
  }
  if (!edited.empty() && ::rename(edited.c_str(), final_.c_str()) != 0) {
    remove_edited();
    throw_data_error(fmt::format("cannot move output into place at '{}': {}", path_, std::strerror(errno)));
  }
  unregister_temp(edited);
  ::unlink(temp_.c_str());
  unregister_temp(temp_);
  committed_ = true;
}

InputFile::InputFile(const std::string& path) : path_(path) {
  if (path_ == "-") {
    buf_.source = std::cin.rdbuf();
  } else {
    std::error_code ec;
    const auto st = fs::status(path_, ec);
    if (!fs::exists(st)) throw_data_error(fmt::format("cannot open input '{}': no such file", path_));
    if (fs::is_directory(st)) throw_data_error(fmt::format("cannot read input '{}': it is a folder", path_));
    file_.open(path_, std::ios::binary);
    if (!file_) throw_data_error(fmt::format("cannot open input '{}': {}", path_, std::strerror(errno)));
    buf_.source = file_.rdbuf();
  }
  stream_.rdbuf(&buf_);
}

// The reader asks for large blocks (istream::read -> xsgetn): hashing them costs one pass over bytes
// already in cache. underflow() serves the odd single-character read.
std::streamsize InputFile::HashingBuf::xsgetn(char* s, std::streamsize n) {
  std::streamsize done = 0;
  if (n > 0 && gptr() < egptr()) {  // the character underflow() fetched (and hashed) is served first
    *s++ = *gptr();
    gbump(1);
    ++done;
    --n;
  }
  const std::streamsize got = n > 0 ? source->sgetn(s, n) : 0;
  if (got > 0) {
    if (hashing) hash.update(std::string_view(s, static_cast<std::size_t>(got)));
    bytes += got;
  }
  return done + std::max<std::streamsize>(got, 0);
}

InputFile::HashingBuf::int_type InputFile::HashingBuf::underflow() {
  if (source->sgetn(&one, 1) != 1) return traits_type::eof();
  if (hashing) hash.update(std::string_view(&one, 1));
  ++bytes;
  setg(&one, &one, &one + 1);
  return traits_type::to_int_type(one);
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

namespace {

// Every resource in effect, with its origin and the sha256 of its text (provenance and --dry-run).
std::vector<report::ResourceStamp> resource_stamps(ResourceContext& res) {
  std::vector<report::ResourceStamp> out;
  for (const ResourceInfo& r : res.list()) out.push_back({r.name, r.origin, sha256_hex(res.text(r.name))});
  return out;
}

// What every report and summary says about how it was made. Called after the input was read to its
// end, so the hash covers every byte.
report::Provenance provenance_of(const std::string& command, ResourceContext& res, const InputFile& input,
                                 const std::string& shown_input) {
  report::Provenance p;
  p.version = version_number();
  p.git_describe = git_describe();
  p.command = command;
  p.arguments = arguments();
  p.resources = resource_stamps(res);
  p.input = shown_input;
  p.input_sha256 = input.sha256();
  p.input_bytes = input.bytes();
  return p;
}

std::string render_report(const report::Report& rep, const std::string& format) {
  if (format == "json") return report::render_json(rep);
  if (format == "html") return report::render_html(rep);
  return report::render_markdown(rep);
}

// Two outputs naming one file would overwrite each other: a usage error before anything is created.
void refuse_same(const std::string& a, const std::string& a_flag, const std::string& b, const std::string& b_flag) {
  if (a.empty() || b.empty()) return;
  if (a == b || same_file(a, b)) {
    throw Error(ExitCode::kUsage, a == "-" ? fmt::format("{} and {} cannot both be standard output", a_flag, b_flag)
                                           : fmt::format("{} and {} name the same file", a_flag, b_flag));
  }
}

struct Plan {
  const std::string& command;
  const Pipeline& pipeline;
  const IoOptions& io;
  const RunExtras& extras;
  const report::ReportOptions* report_options;  // null: no report, summary or gate
  const std::vector<report::Gate>& gates;
  int threads;
};

// --dry-run: everything the run would do, resolved (options checked, resources loaded and hashed, outputs
// checked), and nothing done.
void print_plan(const Plan& plan, ResourceContext& res) {
  std::string out = fmt::format("glyphsieve {} --dry-run: the plan (no row read, no file written)\n\n", plan.command);
  const IoOptions& io = plan.io;
  if (io.input == "-") {
    out += "input    <stdin>\n";
  } else {
    std::error_code ec;
    const auto size = fs::file_size(io.input, ec);
    out += ec ? fmt::format("input    {}\n", io.input) : fmt::format("input    {} ({} bytes)\n", io.input, size);
  }
  const ReportRequest* r = plan.extras.report;
  const bool report_is_output = r && !r->path.empty() && plan.extras.report_is_output;
  out += "outputs\n";
  if (!report_is_output) out += fmt::format("  output   {}\n", display_output(io.output));
  if (!io.rejects.empty()) out += fmt::format("  rejects  {}\n", display_output(io.rejects));
  if (r && !r->path.empty()) out += fmt::format("  report   {} ({})\n", display_output(r->path), r->format);
  if (r && !r->summary_json.empty()) out += fmt::format("  summary  {} (JSON)\n", display_output(r->summary_json));
  for (const auto& stage : plan.pipeline.stages()) {
    if (plan.extras.working_dir.empty()) break;
    out += fmt::format("  stage    {}\n",
                       (fs::path(plan.extras.working_dir) / fmt::format("stage_{}.csv", stage->name())).string());
  }
  out += "stages\n";
  if (plan.pipeline.stages().empty()) out += "  (none: the rows are read, checked and counted)\n";
  int n = 0;
  for (const auto& stage : plan.pipeline.stages()) {
    const std::string what = stage->describe();
    out += fmt::format("  {}. {:<11}{}\n", ++n, stage->name(), what);
  }
  out += fmt::format("threads  {}{}\n", plan.threads,
                     plan.extras.working_dir.empty() ? "" : " (--working-dir: the stages run on one thread)");
  out += fmt::format("rows     {}\n", io.strict ? "--strict: the first malformed row is a fatal error"
                                                : "malformed rows are rejected, counted and reported");
  if (const report::ReportOptions* o = plan.report_options) {
    out += fmt::format("report   top {}, anomaly ratio {}, price limit {}, {}\n", o->top, o->anomaly_ratio,
                       o->price_limit ? fmt::format("${}", *o->price_limit) : std::string("none"),
                       o->include_invalid ? "every written listing analysed (--include-invalid)"
                                          : "invalid, unknown-model and duplicate listings left out of the views");
  }
  if (!plan.gates.empty()) {
    out += "gates    (exit 3 when one holds)\n";
    for (const report::Gate& g : plan.gates) {
      out += fmt::format("  fail if {} {} {}\n", g.kpi, report::to_string(g.op), g.threshold);
    }
  }
  out += "resources\n";
  for (const report::ResourceStamp& stamp : resource_stamps(res)) {
    out += fmt::format("  {:<32} {:<10} sha256 {}\n", stamp.name, stamp.origin, stamp.sha256);
  }
  std::cout << out;
  std::cout.flush();
  if (!std::cout) throw_data_error("write error on standard output");
}

}  // namespace

void run_pipeline(const std::string& command, Pipeline& pipeline, const IoOptions& io, const GlobalOptions& global,
                  const RunExtras& extras) {
  const bool say = !global.quiet;
  const std::string& working_dir = extras.working_dir;
  const ReportRequest* request = extras.report;
  const bool want_report = request && !request->path.empty();
  const bool report_is_output = want_report && extras.report_is_output;
  const bool want_summary = request && !request->summary_json.empty();
  std::vector<report::Gate> gates;
  if (request) {
    for (const std::string& text : request->fail_if) gates.push_back(report::parse_gate(text));
  }
  // KPIs come from the report's collector: it runs for a report, a summary or a gate.
  const bool collect = want_report || want_summary || !gates.empty();
  InputFile input(io.input);
  input.hash_input(collect);
  std::vector<std::string> inputs = {io.input};
  const std::string shown_input = io.input == "-" ? "<stdin>" : io.input;
  report::ReportOptions report_options;
  if (collect) {
    report_options = request->options;
    if (report_options.source.empty()) report_options.source = shown_input;
    // The capacity matrix: every catalogue model at memory_model.yaml's matrix quantizations.
    if (want_report && !report_options.capacity_matrix) {
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
  const std::string& main_output = report_is_output ? extras.report->path : io.output;
  if (want_report && !report_is_output) refuse_same(request->path, "--report", io.output, "--output");
  refuse_same(io.rejects, "--rejects", main_output, "--output");
  if (want_summary) {
    refuse_same(request->summary_json, "--summary-json", main_output, "--output");
    if (want_report && !report_is_output)
      refuse_same(request->summary_json, "--summary-json", request->path, "--report");
    refuse_same(request->summary_json, "--summary-json", io.rejects, "--rejects");
  }
  RunOptions options;
  options.strict = io.strict;
  options.threads = static_cast<int>(io.threads ? io.threads : std::max(1u, std::thread::hardware_concurrency()));

  if (io.dry_run) {
    for (const std::string* path : {&main_output, &io.rejects}) {
      if (!path->empty() && *path != "-") resolve_output(*path, inputs);
    }
    if (want_report && !report_is_output && request->path != "-") resolve_output(request->path, inputs);
    if (want_summary && request->summary_json != "-") resolve_output(request->summary_json, inputs);
    print_plan({command, pipeline, io, extras, collect ? &report_options : nullptr, gates,
                working_dir.empty() ? options.threads : 1},
               resources(global));
    return;
  }

  // Every output is opened (and so checked) before the first row is read.
  // The frontier's on_frontier cells are set after the last row: its outputs are held until then.
  const bool mark_frontier = extras.frontier && !report_is_output;
  std::optional<OutputFile> output;
  if (!report_is_output) output.emplace(io.output, inputs, mark_frontier);
  std::optional<OutputFile> report_file;
  std::optional<report::ReportCollector> collector;
  if (want_report) report_file.emplace(request->path, inputs);
  std::optional<OutputFile> summary_file;
  if (want_summary) summary_file.emplace(request->summary_json, inputs);
  std::optional<OutputFile> rejects_file;
  std::optional<CsvWriter> rejects_writer;
  if (!io.rejects.empty()) {
    rejects_file.emplace(io.rejects, inputs);
    rejects_writer.emplace(rejects_file->stream(), io.rejects);
    rejects_writer->set_safe(io.safe_csv);
    rejects_writer->write_row({"line", "reason", "record"});
  }
  // Intermediates: stage_<name>.csv per stage.
  std::vector<std::unique_ptr<OutputFile>> stage_files;
  std::vector<std::unique_ptr<CsvWriter>> stage_writers;
  if (!working_dir.empty()) {
    std::error_code ec;
    fs::create_directories(working_dir, ec);
    if (ec) throw_data_error(fmt::format("cannot create working folder '{}': {}", working_dir, ec.message()));
    for (const auto& stage : pipeline.stages()) {
      const std::string p = (fs::path(working_dir) / fmt::format("stage_{}.csv", stage->name())).string();
      // The frontier stage's file holds exactly the output's rows: it gets the same marks.
      const bool last = mark_frontier && &stage == &pipeline.stages().back();
      stage_files.push_back(std::make_unique<OutputFile>(p, inputs, last));
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
  NullBuffer null_buffer;
  std::ostream null_stream(&null_buffer);
  CsvReader reader(input.stream(), io.input);
  CsvWriter writer(output ? output->stream() : null_stream, io.output);
  writer.set_safe(io.safe_csv);
  writer.set_discard(!output);
  std::optional<FrontierMarker> marker;
  if (collect || mark_frontier) {
    options.on_header = [&](const std::vector<std::string>& names) {
      if (mark_frontier) marker.emplace(names);
      if (collect) collector.emplace(names, report_options);
    };
    options.on_row = [&](const Row& row, std::int64_t line, bool written) {
      if (marker && written) marker->add(row, line, writer.position(), io.safe_csv);
      if (collector) collector->add(row, line, written);
    };
  }
  const RunStats stats = pipeline.run(reader, writer, options);
  writer.flush();
  for (auto& w : stage_writers) w->flush();
  if (rejects_writer) rejects_writer->flush();
  report::Report rep;
  if (collector) {
    collector->add_rejected(stats.rejected);
    rep = collector->finish();
    if (!request->no_timings) {
      double total = 0;
      for (const auto& s : stats.stages) {
        rep.kpis.stages.push_back({s.name, s.rows_in, s.seconds});
        total += s.seconds;
      }
      if (!stats.stages.empty()) rep.kpis.seconds = total;
    }
    rep.gates = report::evaluate_gates(gates, rep.kpis);
    rep.provenance = provenance_of(command, resources(global), input, shown_input);
  }
  if (report_file) report_file->stream() << render_report(rep, request->format);
  if (summary_file) summary_file->stream() << report::render_summary_json(rep);
  std::vector<std::uint64_t> marks;
  if (marker) marks = marker->cells_to_mark();
  if (output) output->commit(marks, "false", "true");
  for (std::size_t k = 0; k < stage_files.size(); ++k) {
    const bool last = mark_frontier && k + 1 == stage_files.size();
    stage_files[k]->commit(last ? marks : std::vector<std::uint64_t>{}, "false", "true");
  }
  if (rejects_file) rejects_file->commit();
  if (report_file) report_file->commit();
  if (summary_file) summary_file->commit();

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
      fmt::print(stderr, "glyphsieve {}: report -> {}\n", command, display_output(request->path));
    }
    if (summary_file)
      fmt::print(stderr, "glyphsieve {}: summary -> {}\n", command, display_output(request->summary_json));
    if (marker) {
      fmt::print(stderr, "glyphsieve {}: {} of {} eligible listings on the price/score frontier (on_frontier=true)\n",
                 command, marker->on_frontier(), marker->eligible());
    }
    if (!extras.success.empty()) fmt::print(stderr, "{}\n", extras.success);
  }
  // Gates last: the outputs are in place, and a failure is the last thing said (even with --quiet).
  std::int64_t failed = 0;
  for (const report::GateResult& g : rep.gates) {
    if (g.failed) ++failed;
    if (g.failed || say) {
      fmt::print(stderr, "glyphsieve {}: gate {}: {}\n", command, g.failed ? "FAILED" : "passed", report::describe(g));
    }
  }
  if (failed > 0) {
    throw Error(ExitCode::kGateFailed,
                fmt::format("{} of {} --fail-if gates failed (exit code 3; the outputs were written)", failed,
                            rep.gates.size()));
  }
}

namespace {
std::vector<std::string> g_arguments;
}  // namespace

void set_arguments(int argc, char** argv) { g_arguments.assign(argv + std::min(argc, 1), argv + argc); }

const std::vector<std::string>& arguments() { return g_arguments; }

}  // namespace glyphsieve::cli
