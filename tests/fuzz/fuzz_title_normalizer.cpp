// libFuzzer target: one listing title through the Matcher built from the embedded resources.
// match() never throws; checks cover MatchResult's contract (score in [0,1], a registry model or an
// UNKNOWN with its reason, a valid GPU for every identified model), and the regex prefilter changes
// nothing: a Matcher that runs every regex gives the same result.
#include <string>

#include "fuzz.hpp"
#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/stages/normalize.hpp"

using glyphsieve::fuzz::check;

namespace {

glyphsieve::ResourceContext& resources() {
  static glyphsieve::ResourceContext ctx;
  return ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The default min_confidence of `glyphsieve normalize` and `pipeline`.
  static const glyphsieve::Matcher kMatcher(resources().registry(), resources().model_patterns(), 80);
  static const glyphsieve::Matcher kEveryRegex(resources().registry(), resources().model_patterns(), 80, false);
  const std::string_view title = glyphsieve::fuzz::as_text(data, size);

  const glyphsieve::MatchResult r = kMatcher.match(title);
  const glyphsieve::MatchResult slow = kEveryRegex.match(title);
  check(r.canonical_model == slow.canonical_model && r.match_type == slow.match_type && r.score == slow.score &&
            r.is_valid_gpu == slow.is_valid_gpu && r.unknown_reason == slow.unknown_reason &&
            r.gpu_count == slow.gpu_count,
        "the prefilter does not change the result");
  check(r.score >= 0 && r.score <= 1, "score is in [0, 1]");
  check(!r.canonical_model.empty(), "canonical_model is never empty");
  check(r.match_type == "exact" || r.match_type == "regex" || r.match_type == "fuzzy" || r.match_type == "none",
        "match_type is exact, regex, fuzzy or none");
  check(r.gpu_count >= 1, "gpu_count >= 1");
  if (r.canonical_model == glyphsieve::kUnknownModel) {
    check(!r.unknown_reason.empty(), "an UNKNOWN model comes with a reason");
  } else {
    check(r.unknown_reason.empty(), "an identified model has no unknown_reason");
    check(resources().registry().find(r.canonical_model) != nullptr, "an identified model is in the registry");
    check(r.is_valid_gpu, "an identified model is a valid GPU");
    check(r.match_type != "none", "an identified model has a match type");
  }
  return 0;
}
