"""``bargainsim-report``: the report of a finished sweep — reading and checking its jobs (:mod:`.jobs`), the
paired comparisons (:mod:`.comparison`), the report's sections (:mod:`.sections`) and the staged writer and
console script (:mod:`.command`)."""
