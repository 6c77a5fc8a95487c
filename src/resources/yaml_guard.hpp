// The gate a resource's text passes before yaml-cpp builds nodes from it: size and encoding, then one
// event pass (no node tree) for nesting depth, alias bombs, huge scalars, repeated keys and extra
// documents, which yaml-cpp would otherwise overflow the stack on, expand, or silently accept.
#pragma once

#include <string>

namespace glyphsieve::yaml {

/// Throws Error (ExitCode::kDataError, with file:line:column where one applies) when `text`
///  - is longer than kMaxResourceBytes, is not UTF-8, or holds a NUL or another control character
///    (tab, CR and LF excepted);
///  - is not valid YAML ("invalid YAML: ..."; a tab-indented line gets a message that says so);
///  - nests lists and mappings deeper than kMaxYamlDepth or holds more than kMaxYamlNodes nodes,
///    aliases expanded in both counts, or has an alias inside its own anchor;
///  - has a scalar longer than kMaxScalarBytes, a key twice in one mapping, or more than one document.
/// An empty text passes: the caller decides what an empty resource means.
void check_text(const std::string& text, const std::string& file);

}  // namespace glyphsieve::yaml
