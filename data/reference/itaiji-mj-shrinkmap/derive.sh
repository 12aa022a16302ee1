#!/bin/sh
# Regenerates mj_shrink_by_ucs.trimmed.tsv (the table Mimamori.Kernel embeds) from the full mj_shrink_by_ucs.tsv.
# Usage: ./derive.sh /path/to/mj_shrink_by_ucs.tsv
# Keeps the header and every row whose target differs from its source and whose basis includes
# family-register-notice or moj-notice-582-appendix-4: the only rows VariantKanji chooses from.
# Rows are not reordered or edited, so the output is a plain subset of the input.
set -eu
src=${1:?path to the full mj_shrink_by_ucs.tsv}
here=$(dirname "$0")
LC_ALL=C awk -F'\t' 'NR == 1 || ($2 != $4 && $5 ~ /family-register-notice|moj-notice-582-appendix-4/)' "$src" \
    > "$here/mj_shrink_by_ucs.trimmed.tsv"
