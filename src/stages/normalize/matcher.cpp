// The title matcher: non-GPU rules, exact aliases, longest family regex, variant selection by stated
// memory and qualifiers, then a guarded bit-parallel fuzzy fallback. The rules are docs/resources.md.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include <fmt/format.h>

#include "glyphsieve/core/prefilter.hpp"
#include "glyphsieve/core/text.hpp"
#include "glyphsieve/stages/normalize.hpp"

namespace glyphsieve {

int fuzzy_substring_distance(std::string_view pattern, std::string_view text) {
  // Myers' bit-vector algorithm, semi-global: the pattern may start anywhere in the text.
  const std::size_t m = pattern.size();
  if (m == 0) return 0;
  if (m > 64) return static_cast<int>(m);
  std::uint64_t peq[256] = {};
  for (std::size_t i = 0; i < m; ++i) peq[static_cast<unsigned char>(pattern[i])] |= 1ULL << i;
  std::uint64_t pv = ~0ULL, mv = 0;
  const std::uint64_t high = 1ULL << (m - 1);
  int score = static_cast<int>(m), best = score;
  for (const char ch : text) {
    const std::uint64_t eq = peq[static_cast<unsigned char>(ch)];
    const std::uint64_t xv = eq | mv;
    const std::uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    std::uint64_t ph = mv | ~(xh | pv);
    std::uint64_t mh = pv & xh;
    if (ph & high) ++score;
    if (mh & high) --score;
    ph <<= 1;  // no carry-in: a match may begin at any text position
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
    best = std::min(best, score);
  }
  return best;
}

namespace {

const Regex& memory_regex() {
  static const Regex kRegex(R"((?<![0-9.])([0-9]{1,3}) ?(?:gb|g|gib|gig|gigs|go)\b)");
  return kRegex;
}

// Short letter tokens that change the product when they follow a model number ("4090 d", "l 40 s").
bool is_model_suffix(const std::string& t) {
  static const std::set<std::string> kSuffixes = {"s", "x", "d", "ti", "xt", "xtx", "gre", "super", "xl", "se", "m"};
  return kSuffixes.count(t) > 0;
}
bool is_short_alpha(const std::string& t) {
  return !t.empty() && t.size() <= 2 && std::all_of(t.begin(), t.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::vector<std::string> tokens(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool is_number(const std::string& t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

}  // namespace

struct Matcher::Impl {
  const GpuRegistry& registry;
  const ModelPatterns& patterns;
  double min_score;
  int min_percent;                                      // as given, for describe()
  std::unordered_map<std::string, std::size_t> exact;   // normalized alias -> registry index
  std::vector<std::vector<std::size_t>> family_models;  // per family index: registry indexes
  struct FuzzyAlias {
    std::string text;
    std::vector<std::string> tokens;
    std::size_t family;
  };
  std::vector<FuzzyAlias> fuzzy;
  std::unordered_map<std::string, std::vector<std::size_t>> fuzzy_by_number;  // first number -> aliases

  // Prefilter ids of the regexes run on whole titles (docs/performance.md): a regex whose required
  // literals are absent from the title is not run. Parallel to the ModelPatterns vectors.
  RegexPrefilter prefilter;
  std::vector<std::vector<std::size_t>> family_pattern_ids, family_part_ids;
  std::vector<std::size_t> non_gpu_ids, vendor_ids, bundle_ids, ignore_ids;
  std::size_t gpu_words_id = 0, gpu_makers_id = 0;
  using Hits = RegexPrefilter::Hits;

  // Vendors as small numbers, so a title's vendors are a vector of flags, not a set of strings.
  // family_vendor[f]: the family's vendor, or kAnyVendor (none given) or kOtherVendor (a vendor that
  // no vendor_words entry names). vendor_of_words[k]: the vendor of vendor_words[k].
  static constexpr std::size_t kAnyVendor = SIZE_MAX, kOtherVendor = SIZE_MAX - 1;
  std::size_t vendor_count = 0;
  std::vector<std::size_t> family_vendor, vendor_of_words;
  struct Named {
    bool any = false;
    std::vector<char> vendor;  // by vendor number
  };

  Impl(const GpuRegistry& reg, const ModelPatterns& pat, int min_confidence, bool use_prefilter)
      : registry(reg), patterns(pat), min_score(min_confidence / 100.0), min_percent(min_confidence) {
    // Without the prefilter every regex is registered with no requirement, so every one runs.
    const auto gate = [&](const Regex& re) { return prefilter.add(use_prefilter ? re.pattern() : std::string()); };
    for (const auto& f : pat.families) {
      family_pattern_ids.emplace_back();
      family_part_ids.emplace_back();
      for (const auto& re : f.patterns) family_pattern_ids.back().push_back(gate(re));
      for (const auto& re : f.part_numbers) family_part_ids.back().push_back(gate(re));
    }
    for (const auto& rule : pat.non_gpu) non_gpu_ids.push_back(gate(rule.pattern));
    for (const auto& vw : pat.vendor_words) vendor_ids.push_back(gate(vw.pattern));
    for (const auto& b : pat.bundles) bundle_ids.push_back(gate(b.pattern));
    for (const auto& re : pat.ignore) ignore_ids.push_back(gate(re));
    if (pat.gpu_words) gpu_words_id = gate(*pat.gpu_words);
    if (pat.gpu_makers) gpu_makers_id = gate(*pat.gpu_makers);
    prefilter.build();
    std::map<std::string, std::size_t> vendor_numbers;
    for (const auto& vw : pat.vendor_words) {
      vendor_of_words.push_back(vendor_numbers.emplace(vw.vendor, vendor_numbers.size()).first->second);
    }
    vendor_count = vendor_numbers.size();
    for (const auto& f : pat.families) {
      const auto it = vendor_numbers.find(f.vendor);
      family_vendor.push_back(f.vendor.empty() ? kAnyVendor : it == vendor_numbers.end() ? kOtherVendor : it->second);
    }
    for (std::size_t i = 0; i < reg.models.size(); ++i) {
      const GpuSpec& g = reg.models[i];
      const std::string id = normalize_title(g.id, pat.synonyms);
      exact.emplace(id, i);
      exact.emplace(normalize_title(g.vendor + " " + g.id, pat.synonyms), i);
      for (const auto& a : g.aliases) exact.emplace(normalize_title(a, pat.synonyms), i);
    }
    family_models.resize(pat.families.size());
    for (std::size_t f = 0; f < pat.families.size(); ++f) {
      for (std::size_t i = 0; i < reg.models.size(); ++i) {
        if (reg.models[i].family == pat.families[f].name) family_models[f].push_back(i);
      }
      for (const auto& a : pat.families[f].aliases) {
        if (a.size() < 3 || a.size() > 64) continue;
        FuzzyAlias fa{a, tokens(a), f};
        // A name without digits is too vague to guess from.
        const auto first_number = std::find_if(fa.tokens.begin(), fa.tokens.end(), is_number);
        if (first_number == fa.tokens.end()) continue;
        fuzzy_by_number[*first_number].push_back(fuzzy.size());
        fuzzy.push_back(std::move(fa));
      }
    }
  }

  // Memory sizes (GB) the title states.
  static std::set<int> stated_memory(const std::string& t) {
    std::set<int> out;
    std::size_t pos = 0;
    while (auto m = memory_regex().search(t, pos)) {
      if (m->group1) out.insert(std::stoi(*m->group1));
      pos = m->end;
    }
    return out;
  }

  // Picks one registry entry of family `f` for title `t`, or explains why it cannot.
  MatchResult pick_variant(std::size_t f, const std::string& t, const char* type, double score) const {
    MatchResult r;
    std::vector<std::size_t> cands = family_models[f];
    const std::set<int> mem = stated_memory(t);
    std::vector<std::size_t> by_mem;
    for (auto i : cands) {
      if (mem.count(static_cast<int>(registry.models[i].vram_gb))) by_mem.push_back(i);
    }
    const bool memory_decided = !by_mem.empty();
    if (memory_decided) cands = by_mem;
    // Qualifiers: drop variants whose qualifiers do not all match; prefer more matched qualifiers.
    std::vector<std::pair<std::size_t, std::size_t>> scored;  // (matched qualifiers, index)
    for (auto i : cands) {
      const auto& q = registry.models[i].qualifiers;
      const bool all = std::all_of(q.begin(), q.end(), [&](const Regex& re) { return re.matches(t); });
      if (all) scored.emplace_back(q.size(), i);
    }
    if (!scored.empty()) {
      const std::size_t top = std::max_element(scored.begin(), scored.end())->first;
      cands.clear();
      for (auto& [n, i] : scored) {
        if (n == top) cands.push_back(i);
      }
    }
    bool defaulted = false;
    if (cands.size() > 1) {
      std::vector<std::size_t> defaults;
      for (auto i : cands) {
        if (registry.models[i].is_default) defaults.push_back(i);
      }
      if (defaults.size() == 1) {
        cands = defaults;
        defaulted = true;
      }
    }
    if (cands.size() != 1) {
      std::vector<std::string> names;
      names.reserve(cands.size());
      for (auto i : cands) names.push_back(registry.models[i].id);
      r.is_valid_gpu = true;
      r.unknown_reason = fmt::format("ambiguous: could be {}; the title does not say which", fmt::join(names, " or "));
      return r;
    }
    const GpuSpec& g = registry.models[cands.front()];
    r.canonical_model = g.id;
    r.match_type = type;
    r.score = defaulted ? std::min(score, 0.85) : score;
    r.is_valid_gpu = true;
    return r;
  }

  // The digits of a model and the short letters glued to them ("a 100", "m 40", "4090 d", "l 40 s")
  // are what tell products apart, so fuzzy matching may never change them. For every place where the
  // alias's first number stands in the title with the same short prefix and suffix tokens, the alias is
  // aligned against the title's tokens around that place only (not anywhere, so a part number cannot
  // lend its digits to a typo elsewhere). Returns the smallest edit distance, or -1 when none fits.
  static int anchored_distance(const FuzzyAlias& fa, const std::vector<std::string>& title) {
    const auto& alias = fa.tokens;
    std::size_t n = 0;
    while (n < alias.size() && !is_number(alias[n])) ++n;
    const std::string want_prev = n > 0 && is_short_alpha(alias[n - 1]) ? alias[n - 1] : "";
    const std::string want_next = n + 1 < alias.size() && is_model_suffix(alias[n + 1]) ? alias[n + 1] : "";
    int best = -1;
    for (std::size_t j = 0; j < title.size(); ++j) {
      if (title[j] != alias[n]) continue;
      const std::string prev = j > 0 && is_short_alpha(title[j - 1]) ? title[j - 1] : "";
      const std::string next = j + 1 < title.size() && is_model_suffix(title[j + 1]) ? title[j + 1] : "";
      if (prev != want_prev || next != want_next) continue;
      // Window: as many tokens before and after as the alias has, plus one for a split or merged word.
      const std::size_t from = j >= n + 1 ? j - n - 1 : 0;
      const std::size_t to = std::min(title.size(), j + (alias.size() - n) + 1);
      std::string window;
      for (std::size_t k = from; k < to; ++k) {
        if (!window.empty()) window.push_back(' ');
        window += title[k];
      }
      // Every later number of the alias must be in the window too.
      bool numbers_ok = true;
      for (std::size_t i = n + 1; i < alias.size(); ++i) {
        if (is_number(alias[i]) &&
            std::find(title.begin() + static_cast<long>(from), title.begin() + static_cast<long>(to), alias[i]) ==
                title.begin() + static_cast<long>(to)) {
          numbers_ok = false;
        }
      }
      if (!numbers_ok) continue;
      const int d = fuzzy_substring_distance(fa.text, window);
      if (best < 0 || d < best) best = d;
    }
    return best;
  }

  template <typename VendorOk>
  std::optional<MatchResult> fuzzy_match(const std::string& t, const VendorOk& vendor_ok) const {
    const std::vector<std::string> title_tokens = tokens(t);
    // Only aliases whose number appears in the title can match.
    std::vector<std::size_t> candidates;
    for (const auto& tok : title_tokens) {
      if (auto it = fuzzy_by_number.find(tok); it != fuzzy_by_number.end()) {
        candidates.insert(candidates.end(), it->second.begin(), it->second.end());
      }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    const FuzzyAlias* best = nullptr;
    double best_sim = 0;
    for (const std::size_t idx : candidates) {
      const FuzzyAlias& fa = fuzzy[idx];
      if (!vendor_ok(fa.family)) continue;
      const int d = anchored_distance(fa, title_tokens);
      if (d < 0) continue;
      const int allowed = fa.text.size() < 10 ? 1 : 2;
      if (d > allowed) continue;
      const double sim = 1.0 - static_cast<double>(d) / static_cast<double>(fa.text.size());
      if (sim > best_sim || (sim == best_sim && best && fa.text.size() > best->text.size())) {
        best_sim = sim;
        best = &fa;
      }
    }
    if (!best) return std::nullopt;
    MatchResult r = pick_variant(best->family, t, "fuzzy", best_sim);
    if (r.canonical_model == kUnknownModel) return r;
    if (r.score < min_score) {
      MatchResult low;
      low.is_valid_gpu = true;
      low.unknown_reason =
          fmt::format("low-confidence match to {} ({:.2f}) below --min-confidence-score", r.canonical_model, r.score);
      return low;
    }
    return r;
  }

  int bundle_count(const std::string& t, const Hits& hits) const {
    for (std::size_t k = 0; k < patterns.bundles.size(); ++k) {
      const auto& b = patterns.bundles[k];
      if (!hits.test(bundle_ids[k])) continue;
      if (auto m = b.pattern.search(t)) {
        if (b.count) return *b.count;
        if (m->group1 && is_number(*m->group1)) {
          const int n = std::stoi(*m->group1);
          if (n >= 1 && n <= 64) return n;
        }
      }
    }
    return 1;
  }

  // The title with `ignore` spans blanked ("(not A100)", "upgrade from RTX A6000"), spaces collapsed.
  std::string without_ignored(const std::string& t, const Hits& hits) const {
    if (patterns.ignore.empty()) return t;
    std::string out = t;
    bool blanked = false;  // once a span is blanked, `hits` (scanned on t) no longer describe `out`
    for (std::size_t k = 0; k < patterns.ignore.size(); ++k) {
      const Regex& re = patterns.ignore[k];
      if (!blanked && !hits.test(ignore_ids[k])) continue;
      std::size_t pos = 0;
      while (auto m = re.search(out, pos)) {
        if (m->end == m->begin) break;
        std::fill(out.begin() + static_cast<long>(m->begin), out.begin() + static_cast<long>(m->end), ' ');
        blanked = true;
        pos = m->end;
      }
    }
    if (!blanked) return t;
    std::string collapsed;
    for (const char c : out) {
      if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
      collapsed.push_back(c);
    }
    if (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
    return collapsed;
  }

  // GPU vendors the title speaks of (none: any is false).
  Named vendors_named(const std::string& t, const Hits& hits) const {
    Named out;
    out.vendor.assign(vendor_count, 0);
    for (std::size_t k = 0; k < patterns.vendor_words.size(); ++k) {
      if (hits.test(vendor_ids[k]) && patterns.vendor_words[k].pattern.matches(t)) {
        out.vendor[vendor_of_words[k]] = 1;
        out.any = true;
      }
    }
    return out;
  }

  MatchResult match(const std::string& t) const {
    MatchResult r;
    if (t.empty()) {
      r.unknown_reason = "empty title";
      return r;
    }
    Hits hits;
    prefilter.scan(t, hits);
    const auto non_gpu_rule = [&](std::size_t k) {
      const auto& rule = patterns.non_gpu[k];
      return hits.test(non_gpu_ids[k]) && rule.pattern.matches(t) && !(rule.unless && rule.unless->matches(t));
    };
    for (std::size_t k = 0; k < patterns.non_gpu.size(); ++k) {
      if (patterns.non_gpu[k].strong && non_gpu_rule(k)) {
        r.unknown_reason = "non-GPU item: " + patterns.non_gpu[k].reason;
        return r;
      }
    }
    const std::string u = without_ignored(t, hits);
    if (u == t) {
      r = identify(u, hits);
    } else {
      Hits u_hits;
      prefilter.scan(u, u_hits);
      r = identify(u, u_hits);
    }
    const bool ambiguous = r.unknown_reason.starts_with("ambiguous");
    if (r.canonical_model == kUnknownModel && !ambiguous) {
      const std::string low_confidence = r.unknown_reason;
      for (std::size_t k = 0; k < patterns.non_gpu.size(); ++k) {
        if (!patterns.non_gpu[k].strong && non_gpu_rule(k)) {
          r.unknown_reason = "non-GPU item: " + patterns.non_gpu[k].reason;
          r.is_valid_gpu = false;
          return r;
        }
      }
      const bool gpu_words = patterns.gpu_words && hits.test(gpu_words_id) && patterns.gpu_words->matches(t);
      const bool maker_and_memory = patterns.gpu_makers && hits.test(gpu_makers_id) &&
                                    patterns.gpu_makers->matches(t) && !stated_memory(t).empty();
      r.is_valid_gpu = gpu_words || maker_and_memory;
      r.unknown_reason = !r.is_valid_gpu           ? "not recognised as a GPU listing"
                         : !low_confidence.empty() ? low_confidence
                                                   : "GPU model not in the registry";
    }
    if (r.is_valid_gpu) r.gpu_count = bundle_count(t, hits);
    return r;
  }

  MatchResult identify(const std::string& t, const Hits& hits) const {
    if (auto it = exact.find(t); it != exact.end()) {
      MatchResult r;
      r.canonical_model = registry.models[it->second].id;
      r.match_type = "exact";
      r.score = 1.0;
      r.is_valid_gpu = true;
      return r;
    }
    // A family of another vendor than the one the title names is not a candidate
    // ("Intel Arc Pro A40" is not an NVIDIA A40).
    const Named named = vendors_named(t, hits);
    const auto vendor_ok = [&](std::size_t f) {
      const std::size_t v = family_vendor[f];
      return !named.any || v == kAnyVendor || (v != kOtherVendor && named.vendor[v]);
    };
    std::size_t best_family = 0, best_len = 0;
    bool found = false;
    for (std::size_t f = 0; f < patterns.families.size(); ++f) {
      if (!vendor_ok(f)) continue;
      for (std::size_t k = 0; k < patterns.families[f].patterns.size(); ++k) {
        if (!hits.test(family_pattern_ids[f][k])) continue;
        if (auto m = patterns.families[f].patterns[k].search(t)) {
          if (!found || m->length() > best_len) {
            best_family = f;
            best_len = m->length();
            found = true;
          }
        }
      }
    }
    // Board part numbers only speak when no model name does: a seller's name for the card beats a
    // (possibly mistyped) part number elsewhere in the title.
    for (std::size_t f = 0; f < patterns.families.size() && !found; ++f) {
      if (!vendor_ok(f)) continue;
      for (std::size_t k = 0; k < patterns.families[f].part_numbers.size(); ++k) {
        if (hits.test(family_part_ids[f][k]) && patterns.families[f].part_numbers[k].matches(t)) {
          best_family = f;
          found = true;
          break;
        }
      }
    }
    if (found) return pick_variant(best_family, t, "regex", 0.95);
    if (auto r = fuzzy_match(t, vendor_ok)) return *r;
    return MatchResult{};
  }
};

Matcher::Matcher(const GpuRegistry& registry, const ModelPatterns& patterns, int min_confidence, bool use_prefilter)
    : impl_(std::make_unique<Impl>(registry, patterns, min_confidence, use_prefilter)) {}
Matcher::~Matcher() = default;

MatchResult Matcher::match_normalized(const std::string& normalized_title) const {
  return impl_->match(normalized_title);
}

std::string Matcher::normalized(std::string_view title) const {
  return normalize_title(title, impl_->patterns.synonyms);
}

int Matcher::min_confidence() const { return impl_->min_percent; }

}  // namespace glyphsieve
