// glyphsieve probe: one listing row per local NVIDIA GPU, read from nvidia-smi, identified by normalize
// and enriched from the registry, so `glyphsieve probe | glyphsieve fit --input - ...` answers "what
// can this machine run". Running nvidia-smi lives here; parsing its output is core (capacity/probe.hpp).
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "glyphsieve/capacity/probe.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/stages/enrich.hpp"
#include "glyphsieve/stages/normalize.hpp"

namespace glyphsieve::cli {
namespace {

constexpr const char* kNvidiaSmi = "nvidia-smi";
// nvidia-smi answers in well under a second; a hung driver can block it for minutes.
constexpr std::chrono::seconds kTimeout{30};
// Its CSV is ~150 bytes per GPU: more than this is not nvidia-smi's query output.
constexpr std::size_t kMaxOutputBytes = 4u << 20;
// The same confidence floor as `normalize` and `pipeline` by default.
constexpr int kMinConfidence = 80;

struct ProbeOptions {
  std::string output = "-";
  std::string nvidia_smi;  // empty: "nvidia-smi" looked up on PATH
  bool safe_csv = false;
};

struct ProcessResult {
  int status = 0;  // as waitpid() reports it
  std::string out, err;
};

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The program execvp() would run for `name`: itself when it holds a '/', else the first executable
// `dir/name` along $PATH (an empty entry is the current folder, as for execvp).
std::optional<std::string> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* env = std::getenv("PATH");
  const std::string path = env ? env : "/usr/bin:/bin";
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = path.find(':', start);
    std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (dir.empty()) dir = ".";
    std::string candidate = std::move(dir);
    candidate += '/';
    candidate += name;
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string::npos) return std::nullopt;
    start = colon + 1;
  }
}

struct Fd {
  int fd = -1;
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

void make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw_data_error(fmt::format("cannot run nvidia-smi: pipe: {}", std::strerror(errno)));
  read_end.fd = fds[0];
  write_end.fd = fds[1];
}

// Runs `program args...` (no shell), stdin from /dev/null, stdout and stderr captured. Kills it and
// throws Error past kTimeout or kMaxOutputBytes.
ProcessResult run_program(const std::string& program, const std::vector<std::string>& args) {
  std::vector<std::string> words = {program};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(words.size() + 1);
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  Fd out_r, out_w, err_r, err_w, exec_r, exec_w;
  make_pipe(out_r, out_w);
  make_pipe(err_r, err_w);
  make_pipe(exec_r, exec_w);  // carries errno from a failed exec; closed by a successful one
  const pid_t pid = ::fork();
  if (pid < 0) throw_data_error(fmt::format("cannot run nvidia-smi: fork: {}", std::strerror(errno)));
  if (pid == 0) {
    // The child: async-signal-safe calls only until exec.
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_w.fd, STDOUT_FILENO);
    ::dup2(err_w.fd, STDERR_FILENO);
    ::execvp(argv[0], argv.data());
    const int e = errno;
    const ssize_t ignored = ::write(exec_w.fd, &e, sizeof e);
    (void)ignored;
    ::_exit(127);
  }
  out_w.close();
  err_w.close();
  exec_w.close();
  int exec_errno = 0;
  ssize_t got;
  do {
    got = ::read(exec_r.fd, &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    ::waitpid(pid, nullptr, 0);
    throw_data_error(fmt::format("cannot run nvidia-smi '{}': {}", program, std::strerror(exec_errno)));
  }

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  auto kill_child = [&](const std::string& why) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    throw_data_error(why);
  };
  auto timed_out = [&] {
    kill_child(fmt::format("nvidia-smi did not finish within {} s and was killed (is the NVIDIA driver hung?)",
                           kTimeout.count()));
  };
  while (out_r.fd >= 0 || err_r.fd >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) timed_out();
    pollfd fds[2] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};  // poll() skips negative fds
    const int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR)
      kill_child(fmt::format("cannot read nvidia-smi's output: {}", std::strerror(errno)));
    if (ready <= 0) continue;
    Fd* ends[2] = {&out_r, &err_r};
    std::string* sinks[2] = {&result.out, &result.err};
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[8192];
      const ssize_t n = ::read(ends[i]->fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ends[i]->close();
        continue;
      }
      sinks[i]->append(buf, static_cast<std::size_t>(n));
      if (sinks[i]->size() > kMaxOutputBytes) {
        kill_child(
            fmt::format("nvidia-smi printed more than {} MiB: not its --query-gpu output", kMaxOutputBytes >> 20));
      }
    }
  }
  // Both pipes are closed; the process is ending (or has detached them and hangs: the deadline holds).
  for (;;) {
    const pid_t done = ::waitpid(pid, &result.status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR)
      throw_data_error(fmt::format("cannot wait for nvidia-smi: {}", std::strerror(errno)));
    if (std::chrono::steady_clock::now() >= deadline) timed_out();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return result;
}

// The first line of `text` that is not blank, without its line end.
std::string first_line(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    const std::size_t start = line.find_first_not_of(" \t");
    if (start != std::string::npos) return line.substr(start);
  }
  return {};
}

[[noreturn]] void throw_no_gpu(const std::string& why) {
  throw_data_error(fmt::format("no NVIDIA GPU found ({})", why));
}

// The GPUs nvidia-smi lists; Error when it cannot be run, fails, or lists none.
std::vector<ProbedGpu> probe_gpus(const ProbeOptions& o) {
  const std::string name = o.nvidia_smi.empty() ? kNvidiaSmi : o.nvidia_smi;
  const std::optional<std::string> program = find_program(name);
  if (!program) {
    if (o.nvidia_smi.empty()) {
      throw_data_error(
          "nvidia-smi not found on PATH: 'probe' reads the GPUs through the NVIDIA driver's nvidia-smi; install the "
          "driver or pass --nvidia-smi PATH");
    }
    throw_data_error(fmt::format("--nvidia-smi '{}': not found on PATH", name));
  }
  const ProcessResult r = run_program(*program, nvidia_smi_arguments());
  if (nvidia_smi_found_no_devices(r.out) || nvidia_smi_found_no_devices(r.err)) {
    throw_no_gpu("nvidia-smi: \"No devices were found\"");
  }
  if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) {
    const std::string how = WIFEXITED(r.status) ? fmt::format("exit {}", WEXITSTATUS(r.status))
                                                : fmt::format("killed by signal {}", WTERMSIG(r.status));
    std::string said = first_line(r.out);
    if (said.empty()) said = first_line(r.err);
    throw_data_error(said.empty() ? fmt::format("nvidia-smi failed ({}) and printed nothing", how)
                                  : fmt::format("nvidia-smi failed ({}): {}", how, said));
  }
  std::vector<ProbedGpu> gpus = parse_nvidia_smi(r.out, kNvidiaSmi);
  if (gpus.empty()) throw_no_gpu("nvidia-smi listed none");
  return gpus;
}

void run_probe(const ProbeOptions& o, const GlobalOptions& global) {
  // Resources and the output are checked before nvidia-smi runs; the output is committed only at the end.
  ResourceContext& res = resources(global);
  OutputFile output(o.output, {});
  const std::vector<ProbedGpu> gpus = probe_gpus(o);

  // The listing CSV, then normalize (canonical_model ...) and enrich (vram_gb, mig_support ...).
  std::ostringstream listing;
  {
    CsvWriter w(listing, kNvidiaSmi);
    w.write_row(probe_listing_columns());
    for (const auto& gpu : gpus) w.write_row(probe_listing_row(gpu));
    w.flush();
  }
  std::istringstream in(listing.str());
  CsvReader reader(in, kNvidiaSmi);
  Pipeline pipeline;
  pipeline.add(std::make_unique<NormalizeStage>(res.registry(), res.model_patterns(), kMinConfidence, false));
  pipeline.add(std::make_unique<EnrichStage>(res.registry()));
  CsvWriter writer(output.stream(), o.output);
  writer.set_safe(o.safe_csv);
  RunOptions options;
  options.strict = true;  // rows built here are never malformed; if one were, say so rather than drop it
  options.threads = 1;
  pipeline.run(reader, writer, options);
  writer.flush();
  output.commit();
  if (!global.quiet) {
    fmt::print(stderr, "glyphsieve probe: {} GPU{} -> {}\n", gpus.size(), gpus.size() == 1 ? "" : "s",
               display_output(o.output));
  }
}

}  // namespace

void add_probe(CLI::App& cmd, GlobalOptions& global) {
  auto o = std::make_shared<ProbeOptions>();
  cmd.add_option("-o,--output", o->output, "Output CSV file, or - for stdout (default)");
  cmd.add_option("--nvidia-smi", o->nvidia_smi, "The nvidia-smi to run (default: nvidia-smi on PATH)");
  cmd.add_flag("--safe-csv", o->safe_csv,
               "Prefix cells that begin with = + - @ tab or CR with an apostrophe, so spreadsheets show them "
               "as text instead of running them as formulas");
  std::string columns;
  for (const auto& c : probe_listing_columns()) columns += (columns.empty() ? "" : ",") + c;
  const std::vector<std::string> args = nvidia_smi_arguments();
  cmd.footer(
      fmt::format("Runs: nvidia-smi {} {}\n"
                  "Columns: {}, then those of normalize and enrich.\n"
                  "Example: glyphsieve probe | glyphsieve fit --input - --model llama-3.1-8b\n\n{}",
                  args[0], args[1], columns, cmd.get_footer()));
  cmd.callback([o, &global] { run_probe(*o, global); });
}

}  // namespace glyphsieve::cli
