"""The stages of a case's procedure, one module each, in the order a case meets them (DOMAIN.md §3):

- :mod:`.investigation` — arrival; :mod:`.counsel` — retained counsel, the duty lawyer, bail;
- :mod:`.review` — transfer for review (CPL arts. 172-173), with :mod:`.victims` and :mod:`.observation`;
- :mod:`.information` — disclosure, mutual disclosure, overstatement, each side's beliefs;
- :mod:`.initiation` — the decision to prosecute and who opens the talks;
- :mod:`.negotiation` — the protocols; :mod:`.signature` (CPL art. 174) and :mod:`.voluntariness`;
- :mod:`.indictment` with :mod:`.withdrawal` — filing, reconsideration before indictment;
- :mod:`.court` — the art. 201 review, adoption or adjustment, trial; :mod:`.appeal` — appeal and protest.

:mod:`.tracks` holds each track's procedural figures. A stage is a function of the model (the institution's books
and calendar) and one suspect; its arithmetic is in plain functions of plain values where it can be.
"""
