// Model architectures read from files instead of the catalogue: a Hugging Face config.json
// (`glyphsieve fit --model-config`) or the header and tensor table of a GGUF file (`--gguf`).
#pragma once

#include <istream>
#include <string>
#include <string_view>

#include "glyphsieve/capacity/catalog.hpp"

namespace glyphsieve {

/// Reads a Hugging Face config.json. Uses the top level, or the nested `text_config` of a multimodal
/// config when the top level has no `num_hidden_layers`. `params` and `active_params` are computed
/// from the layer shapes (Llama/Mistral/Qwen2/Gemma 2 dense, Mixtral/DeepSeek MoE, DeepSeek-V2 MLA)
/// and listed in `uncertain`; `weight_bytes` stays empty. `id` and `name` are `_name_or_path`, else
/// the stem of `file`; `source` is "config.json: " + file.
/// REQUIRES: `file` names the text for messages only; nothing is opened.
/// Throws: Error(kDataError) located at `file` and the JSON key for a missing, non-integer,
/// non-positive or absurd layer/hidden/head/vocab count (and bad optional fields); at `file:line:col`
/// for text that is not JSON. No nlohmann exception escapes.
ModelSpec read_hf_config(std::string_view json_text, const std::string& file);

/// Reads the header and tensor table of a GGUF v2/v3 file (little-endian) from `in`, never the
/// tensor data, in memory bounded by the header. `params` is the sum of the tensor elements,
/// `weight_bytes` the exact sum of their ggml block sizes, `weight_quant` the name of
/// `general.file_type` (else the ggml type holding most bytes); the architecture comes from the
/// `<general.architecture>.*` keys. `active_params` discounts the unused share of `*_exps` tensors.
/// REQUIRES: `in` positioned at the file's first byte; `file` is used in messages and as the stem
/// for `id` when `general.name` is absent.
/// Throws: Error(kDataError) located at `file` and the offending field, with "at byte N", for a
/// wrong magic, a big-endian or v1 file, a truncated file, an over-limit count, string or dimension,
/// an unknown ggml type, or a missing block_count/embedding_length/head_count key.
ModelSpec read_gguf(std::istream& in, const std::string& file);

/// Opens `path` (binary) and reads it with read_gguf.
/// Throws: Error(kDataError) naming `path` when it is missing, a folder or unreadable; as read_gguf.
ModelSpec read_gguf_file(const std::string& path);

}  // namespace glyphsieve
