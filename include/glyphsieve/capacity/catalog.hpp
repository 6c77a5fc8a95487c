// The typed forms of the deployability resources: model_catalog.yaml (LLM architectures),
// quant_types.yaml (bits per weight and quality cost of each quantization) and memory_model.yaml
// (the constants of the memory model, MIG slice sizes, the realistic capacity profile).
// Decoded and validated once by the ResourceContext; schemas and sources: docs/capacity.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace glyphsieve {

/// One LLM architecture: everything the memory model needs. Counts are exact (from the model's
/// config.json and safetensors metadata), never rounded marketing sizes.
struct ModelSpec {
  std::string id;                      ///< `id`: catalogue key, lower case ("llama-3.1-8b")
  std::string name;                    ///< `name`: display name ("Llama 3.1 8B")
  std::vector<std::string> aliases;    ///< `aliases`: other accepted names (Hugging Face repo ids, ...)
  double params = 0;                   ///< `params`: total parameters; MoE memory is sized by this
  double active_params = 0;            ///< `active_params`: parameters read per token (MoE); = params when dense
  int layers = 0;                      ///< `layers`: transformer blocks
  int hidden = 0;                      ///< `hidden`: embedding width
  int heads = 0;                       ///< `heads`: attention (query) heads; tensor parallelism must divide it
  int kv_heads = 0;                    ///< `kv_heads`: key/value heads (GQA when < heads); unused with MLA
  int head_dim = 0;                    ///< `head_dim`: per head; hidden / heads when the config omits it
  int vocab = 0;                       ///< `vocab`
  bool tied_embeddings = false;        ///< `tied_embeddings`: lm_head shares the embedding matrix
  int max_context = 0;                 ///< `max_context`: longest context the model supports, tokens
  int sliding_window = 0;              ///< `sliding_window`: tokens a windowed layer keeps; 0 = none
  int sliding_window_layers = 0;       ///< `sliding_window_layers`: how many layers use the window
  int kv_lora_rank = 0;                ///< `kv_lora_rank`: MLA compressed KV width; 0 = not MLA
  int qk_rope_head_dim = 0;            ///< `qk_rope_head_dim`: MLA decoupled RoPE key width
  int experts = 0;                     ///< `experts`: routed experts per MoE layer; 0 = dense
  int experts_per_token = 0;           ///< `experts_per_token`
  std::string source;                  ///< `source`
  std::vector<std::string> uncertain;  ///< `uncertain`: fields not confirmed from a primary source

  /// Exact weight bytes and the file's quantization, when the sizes came from a GGUF file's tensor
  /// table (--gguf): they replace params x bits per weight.
  std::optional<double> weight_bytes;
  std::string weight_quant;

  bool is_mla() const { return kv_lora_rank > 0; }
  bool is_moe() const { return experts > 0; }
};

/// model_catalog.yaml.
struct ModelCatalog {
  std::vector<ModelSpec> models;  ///< in file order
  /// The model whose id or alias equals `name` (ASCII case-insensitive), or nullptr.
  const ModelSpec* find(std::string_view name) const;
};

/// One quantization format at its whole-file effective bits per weight (quant_types.yaml).
struct QuantType {
  std::string id;                       ///< `id`: "Q4_K_M", "GPTQ-4bit-g128", "FP8", ...
  std::string family;                   ///< `family`: gguf | gptq | awq | bitsandbytes | fp8 | fp4 | float
  double bits_per_weight = 0;           ///< `bpw`: bits per parameter over the whole model file
  std::optional<double> ppl_delta_pct;  ///< `ppl_delta_pct`: perplexity increase vs F16, percent
  std::string quality_basis;            ///< `quality_basis`: what the delta was measured on
  std::string source;                   ///< `source`
};

/// quant_types.yaml.
struct QuantTypes {
  std::vector<QuantType> types;
  /// The type named `id` (ASCII case-insensitive), or nullptr.
  const QuantType* find(std::string_view id) const;
};

/// One MIG slice profile of a GPU.
struct MigProfile {
  std::string name;       ///< "1g.10gb"
  double memory_gib = 0;  ///< memory the slice exposes (nvidia-smi mig -lgip), GiB
  int max_instances = 0;  ///< how many such slices one card can hold
};

/// The MIG profiles of one GPU (every registry id in `gpus` shares them).
struct MigProfileSet {
  std::vector<std::string> gpus;  ///< registry ids (canonical_model values)
  std::vector<MigProfile> profiles;
  std::string source;
};

/// A KV-cache element type and its bytes per element.
struct KvDtype {
  std::string id;  ///< f16 | bf16 | q8_0 | q4_0 | fp8 ...
  double bytes = 2;
};

/// memory_model.yaml: the constants of the memory model (docs/capacity.md gives each one's source).
struct MemoryModelConfig {
  double usable_share = 0.90;         ///< share of a card's memory an inference server may fill
  double runtime_reserve_gib = 0.45;  ///< per instance, on every GPU it uses: CUDA context and runtime
  double tensor_parallel_gib = 0.42;  ///< extra per GPU when an instance spans GPUs (NCCL buffers)
  int ubatch = 512;                   ///< tokens per compute batch (llama.cpp -ub), sizes the compute buffer
  bool flash_attention = true;        ///< false: the compute buffer also holds the attention scores
  std::vector<KvDtype> kv_dtypes = {{"f16", 2}, {"bf16", 2}, {"q8_0", 1.0625}, {"q4_0", 0.5625}, {"fp8", 1}};
  std::string default_quant = "Q4_K_M";
  int default_context = 8192;
  /// Quantizations tried by "best quantization that fits", best quality first.
  std::vector<std::string> quant_walk = {"Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K"};
  /// Quantizations of the report's capacity matrix.
  std::vector<std::string> matrix_quants = {"F16", "Q8_0", "Q4_K_M"};
  /// Catalogue models of `--capacity-profile realistic` (one realistic_capacity.<id> column each).
  std::vector<std::string> realistic_models = {"llama-3.1-8b", "llama-2-13b", "llama-3.1-70b"};
  std::vector<MigProfileSet> mig;
  /// Boards that carry several GPUs (Tesla K80, Instinct MI250X): registry id -> devices per board.
  std::vector<std::pair<std::string, int>> boards;

  /// Bytes per KV element for `id`, or nullptr when unknown.
  const KvDtype* kv_dtype(std::string_view id) const;
  /// The MIG profiles of registry model `gpu`, or nullptr.
  const MigProfileSet* mig_profiles(std::string_view gpu) const;
  /// GPUs (devices) on one board of registry model `gpu`: 1 unless `boards` says otherwise.
  int devices_per_board(std::string_view gpu) const;
};

}  // namespace glyphsieve
