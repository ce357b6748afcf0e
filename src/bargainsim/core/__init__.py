"""The simulation of one district (no pandas, no Hydra): the cases (:mod:`.cases`), the agents (:mod:`.agents`),
the stages of the procedure (:mod:`.procedure`), the case state they write (:mod:`.state`) and the record read
from it (:mod:`.record`); :mod:`.model` sequences a working day, :mod:`.district` builds a ready model, and
:mod:`.trackers` let front ends watch it."""
