# The fuzz targets, for fuzz/run and fuzz/minimise (sourced; bash). Sets:
#   all_targets          every target name, the engine's first
#   max_len[t]           libFuzzer -max_len
#   seeds[t]             the checked-in seed corpus
#   source[t]            its LLVMFuzzerTestOneInput
# Targets of the engine's stages live in fuzz/ (fuzz/corpus/<t>/); each
# analyzer's live in its folder, src/engine/analyzers/<name>/fuzz/fuzz_<t>.c with
# seeds in corpus/<t>/ beside it and its max_len in the file's first comment
# ("fuzz/run: max_len N"). fuzz/CMakeLists.txt finds them the same way.
declare -A max_len=([decode]=4096 [packets]=16384 [capture]=32768 [tcp]=4096 [jsonrpc]=4096 [server]=8192
                    [schema]=4096 [dfilter]=2048)
declare -A seeds=() source=()
all_targets=(decode packets capture tcp jsonrpc server schema dfilter)
for t in "${all_targets[@]}"; do seeds[$t]=fuzz/corpus/$t source[$t]=fuzz/fuzz_$t.c; done
for name in $(sed -n 's/^PA_ANALYZER(\([a-z0-9_]*\),.*/\1/p' src/engine/analyzers/analyzers.def); do
  for f in src/engine/analyzers/"$name"/fuzz/fuzz_*.c; do
    [[ -e $f ]] || continue
    t=$(basename "$f" .c)
    t=${t#fuzz_}
    all_targets+=("$t")
    source[$t]=$f
    seeds[$t]=$(dirname "$f")/corpus/$t
    max_len[$t]=$(sed -n 's/.*fuzz\/run: max_len \([0-9]*\).*/\1/p' "$f" | head -1)
    [[ -n ${max_len[$t]} ]] || max_len[$t]=4096
  done
done
