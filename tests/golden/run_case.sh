#!/usr/bin/env bash
# Runs one golden case against the real binary and compares everything it produced.
# Usage: run_case.sh BINARY CASE_DIR SOURCE_DIR      (GOLDEN_UPDATE=1 rewrites the expectations)
#
# A case folder holds:
#   args         the command line after "glyphsieve" (bash words; @SRC@ = repository root,
#                @BIN@ = the binary, for cases that chain several runs)
#   setup/       optional: files copied into the scratch folder before the run
#   stdin        optional: fed to standard input (else /dev/null)
#   exit_code    expected exit status
#   stdout       expected standard output (byte for byte)
#   stderr       expected standard error, with timings ("0.123 s") replaced by "X s"
#   files/       expected files left in the scratch folder; any other file there is a failure
#                (this is how "no partial output" is checked)
set -u
bin=$1 case_dir=$(cd "$2" && pwd) src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=$(sed -e "s|@SRC@|$src|g" -e "s|@BIN@|$bin|g" "$case_dir/args")
stdin=/dev/null
[[ -f $case_dir/stdin ]] && stdin=$case_dir/stdin
mkdir -p "$work/run"
[[ -d $case_dir/setup ]] && cp -r "$case_dir/setup/." "$work/run/"
(cd "$work/run" && eval "\"$bin\" $args" <"$stdin" >"$work/stdout" 2>"$work/stderr.raw")
echo $? >"$work/exit_code"
sed -E -e 's/[0-9]+\.[0-9]{3} s/X s/g' -e "s|$src|@SRC@|g" -e "s|$bin|@BIN@|g" "$work/stderr.raw" >"$work/stderr"

if [[ ${GOLDEN_UPDATE:-} == 1 ]]; then
  cp "$work/exit_code" "$work/stdout" "$work/stderr" "$case_dir/"
  rm -rf "$case_dir/files"
  if [[ -n $(ls -A "$work/run") ]]; then cp -r "$work/run" "$case_dir/files"; fi
  echo "updated $case_dir"
  exit 0
fi

fail=0
for f in exit_code stdout stderr; do
  if ! diff -u "$case_dir/$f" "$work/$f" >"$work/diff"; then
    echo "golden: $(basename "$case_dir"): $f differs:"
    head -40 "$work/diff"
    fail=1
  fi
done
expected_files=$case_dir/files
[[ -d $expected_files ]] || expected_files=$work/empty
mkdir -p "$work/empty"
if ! diff -ru "$expected_files" "$work/run" >"$work/diff"; then
  echo "golden: $(basename "$case_dir"): output files differ:"
  head -60 "$work/diff"
  fail=1
fi
exit $fail
