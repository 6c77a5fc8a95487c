// `glyphsieve fit`: which listings can really serve a model, at which quantization and context, how
// many instances, how fast and at what price per instance. Raw listings go through clean, normalize
// and enrich first (as in `pipeline`), so a scraped file, an enriched file and `probe`'s output all work.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "glyphsieve/capacity/memory.hpp"
#include "glyphsieve/capacity/model_file.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/heuristics/deployability.hpp"
#include "glyphsieve/heuristics/heuristics_stage.hpp"
#include "glyphsieve/stages/clean.hpp"
#include "glyphsieve/stages/enrich.hpp"
#include "glyphsieve/stages/normalize.hpp"

namespace glyphsieve::cli {

namespace {

struct FitOptions {
  IoOptions io;
  std::string model;
  std::string model_config;
  std::string gguf;
  std::string quant;
  std::int64_t context = 0;  // 0: memory_model.yaml's default_context
  std::string kv_dtype = "f16";
  std::int64_t parallel = 1;
  bool enriched = false;
  bool filter_invalid = false;
  int min_confidence = 80;
};

/// A config.json is small; anything past this is not one.
constexpr std::uintmax_t kMaxConfigBytes = 16u << 20;

std::string read_config_file(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st)) throw_data_error(fmt::format("cannot open model config '{}': no such file", path));
  if (!std::filesystem::is_regular_file(st)) {
    throw_data_error(fmt::format("cannot read model config '{}': not a regular file", path));
  }
  if (std::filesystem::file_size(path, ec) > kMaxConfigBytes) {
    throw_data_error(fmt::format("model config '{}' is larger than 16 MiB: not a config.json", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_data_error(fmt::format("cannot read model config '{}'", path));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The model named by --model, --model-config or --gguf (exactly one).
ModelSpec resolve_model(const FitOptions& o, ResourceContext& res) {
  const int given = !o.model.empty() + !o.model_config.empty() + !o.gguf.empty();
  if (given != 1) throw_usage_error("give exactly one of --model NAME, --model-config config.json, --gguf FILE");
  if (!o.model_config.empty()) return read_hf_config(read_config_file(o.model_config), o.model_config);
  if (!o.gguf.empty()) return read_gguf_file(o.gguf);
  const ModelCatalog& catalog = res.model_catalog();
  if (const ModelSpec* m = catalog.find(o.model)) return *m;
  // Suggest on names without punctuation: "llama3-8b" is one letter from "llama-3.1-8b", not "llama-2-7b".
  const auto fold = [](std::string_view name) {
    std::string out;
    for (const char c : name) {
      if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(c)));
    }
    return out;
  };
  std::vector<std::string> folded;
  std::vector<std::string> ids;
  for (const auto& m : catalog.models) {
    folded.push_back(fold(m.id));
    ids.push_back(m.id);
  }
  std::string s = suggest(fold(o.model), folded);
  for (std::size_t i = 0; i < folded.size() && !s.empty(); ++i) {
    if (folded[i] == s) {
      s = ids[i];
      break;
    }
  }
  throw_usage_error(
      fmt::format("no model named '{}' in the catalogue{}; 'glyphsieve models' lists them, or use "
                  "--model-config config.json or --gguf FILE",
                  o.model, s.empty() ? "" : fmt::format(" (did you mean '{}'?)", s)));
}

}  // namespace

void add_fit(CLI::App& cmd, GlobalOptions& global) {
  auto o = std::make_shared<FitOptions>();
  add_io_options(cmd, o->io);
  cmd.add_option("--model", o->model, "Catalogue model id or alias (see 'glyphsieve models'), e.g. llama-3.1-8b")
      ->group("Model");
  cmd.add_option("--model-config", o->model_config, "A Hugging Face config.json for a model outside the catalogue")
      ->group("Model");
  cmd.add_option("--gguf", o->gguf, "A GGUF file: exact sizes from its tensor table (weights are not loaded)")
      ->group("Model");
  cmd.add_option("--quant", o->quant,
                 "Quantization (see 'glyphsieve models --quants'; default Q4_K_M, or the GGUF file's own)")
      ->group("Model");
  cmd.add_option("--context", o->context, "Tokens of context per sequence (default 8192)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->group("Model");
  cmd.add_option("--kv-dtype", o->kv_dtype, "KV-cache element type: f16, bf16, q8_0, q4_0 or fp8")
      ->capture_default_str()
      ->group("Model");
  cmd.add_option("--parallel", o->parallel, "Sequences one instance serves at once (each has its own KV cache)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{4096}))
      ->capture_default_str()
      ->group("Model");
  cmd.add_flag(
      "--enriched", o->enriched,
      "The input is already enriched (vram_gb, ...): use its columns as they are, skip clean/normalize/enrich");
  cmd.add_flag("--filter-invalid", o->filter_invalid, "Drop rows that are not GPUs (accessories, systems, ...)");
  cmd.add_option("--min-confidence-score", o->min_confidence, "Lowest fuzzy-match confidence accepted, 0-100")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd.callback([o, &global] {
    ResourceContext& res = resources(global);
    const MemoryModelConfig& config = res.memory_model();
    const QuantTypes& quants = res.quant_types();
    ModelSpec model = resolve_model(*o, res);
    Deployment d;
    // A GGUF file is its own quantization; --quant asks what the same model would need at another.
    if (!o->quant.empty() || !model.weight_bytes) {
      d.quant = &quant_type(res, o->quant.empty() ? config.default_quant : o->quant);
    }
    d.context = o->context > 0 ? o->context : std::min<std::int64_t>(config.default_context, model.max_context);
    if (d.context > model.max_context) {
      throw_usage_error(fmt::format("--context {} is beyond {}'s maximum context of {} tokens", d.context, model.id,
                                    model.max_context));
    }
    const KvDtype* kv = config.kv_dtype(o->kv_dtype);
    if (!kv) {
      std::vector<std::string> ids;
      for (const auto& k : config.kv_dtypes) ids.push_back(k.id);
      throw_usage_error(fmt::format("--kv-dtype must be one of {}; got '{}'", fmt::join(ids, ", "), o->kv_dtype));
    }
    d.kv = *kv;
    d.parallel = o->parallel;
    Pipeline p;
    if (!o->enriched) {
      p.add(std::make_unique<CleanStage>(res.header_aliases(), res.currencies()));
      p.add(
          std::make_unique<NormalizeStage>(res.registry(), res.model_patterns(), o->min_confidence, o->filter_invalid));
      p.add(std::make_unique<EnrichStage>(res.registry()));
    }
    std::vector<HeuristicRun> runs;
    runs.push_back(
        {std::make_unique<FitStrategy>(std::move(model), d, MemoryModel(config, quants), res.currencies()), true, {}});
    p.add(std::make_unique<HeuristicsStage>(std::move(runs), "(run 'glyphsieve enrich' first, or drop --enriched)"));
    run_pipeline("fit", p, o->io, global);
  });
}

}  // namespace glyphsieve::cli
