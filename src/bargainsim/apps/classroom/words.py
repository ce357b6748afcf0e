"""What the play page says to the student: the question at each decision, what the role knows, and the buttons'
words — all read from a :class:`~bargainsim.apps.classroom.play.Briefing`, in months of sentence and working
days, naming the institutions as the plea system played does (:func:`bargainsim.reporting.narration.idiom`)."""

from __future__ import annotations

from bargainsim.apps.classroom.play import Briefing
from bargainsim.reporting.narration import idiom

BUTTONS: dict[tuple[str, str], str] = {
    ("offer", "accepts"): "Accept",
    ("offer", "refuses"): "Refuse: go to trial",
    ("offer", "counters"): "Counter-propose",
    ("offer", "proposes"): "Propose",
    ("sign", "signs"): "Sign",
    ("sign", "refuses"): "Refuse to sign",
    ("countersign", "signs"): "Countersign",
    ("countersign", "refuses"): "Refuse to countersign",
    ("withdraw", "withdraws"): "Withdraw the plea",
    ("withdraw", "stands"): "Stand by the plea",
    ("sign_again", "signs"): "Sign the last offer",
    ("sign_again", "refuses"): "Refuse it: go to trial",
    ("appeal", "appeals"): "Appeal",
    ("appeal", "accepts"): "Accept the judgment",
}
"""The button of each answer at each decision point."""


def months(x: float) -> str:
    return f"{x:.1f} months"


def percent(p: float) -> str:
    return f"{100 * p:.0f}%"


def prompt(b: Briefing) -> str:
    """The question, in one or two sentences."""
    you = "your client" if b.role == "lawyer" else "you"
    words = idiom(b.jurisdiction)
    if b.point == "offer":
        counter = "counter-propose" if b.counters == "counters" else "propose"
        last = (" This is the last word: accept it, or refuse and go to trial." if b.final else
                f" You may accept, refuse and go to trial, or {counter} a lower number of months.")
        if b.court:
            said = "proposes" if b.round == 1 else "now proposes"
            return (f"Round {b.round} of at most {b.rounds}: the court {said} a sentence of at most "
                    f"{months(b.months)} for a confession.{last}")
        said = "recommends" if b.round == 1 else "now offers"
        return f"Round {b.round} of at most {b.rounds}: the prosecutor {said} {months(b.months)}.{last}"
    if b.point == "sign":
        witness = f", with {b.lawyer} present" if b.lawyer else ""
        if b.court:
            return f"The terms are at most {months(b.months)}. Do you consent to the agreement{witness}?"
        paper = f"the {words.agreement}" if b.tripartite else words.plea_paper
        return f"The terms are {months(b.months)}. Do you sign {paper}{witness}?"
    if b.point == "countersign" and b.court:
        return (f"The terms are at most {months(b.months)}. As counsel, do you consent to the agreement? If you "
                "refuse, the court makes its last proposal.")
    if b.point == "countersign":
        return (f"The terms are {months(b.months)}. As counsel, do you countersign the {words.agreement}? If you "
                "refuse, the prosecutor makes its last offer.")
    if b.point == "withdraw":
        return (f"{words.before_filing} the defense has read the file again: {you} now put the chance of conviction at "
                f"{percent(b.own_belief if b.role == 'suspect' else b.client_belief)}. The plea signed is for "
                f"{months(b.months)}; the rules allow {you} to withdraw it and renegotiate.")
    if b.point == "sign_again":
        return (f"The plea is withdrawn. The prosecutor's last offer is {months(b.months)}: sign it, or refuse and "
                "go to trial.")
    kind = "after a trial" if b.tried else "on the plea"
    harsher = " — harsher than the terms signed" if b.honoured is False else ""
    return f"Judgment {kind}: {months(b.sentence)}{harsher}. Appeal? {words.appeal_rule}"


def known(b: Briefing) -> list[str]:
    """What the role knows, one sentence each."""
    lawyer_role = b.role == "lawyer"
    you, your = ("your client", "your client's") if lawyer_role else ("you", "your")
    low, high = b.statutory
    words = idiom(b.jurisdiction)
    lines = [f"The charge: {b.offense} ({b.track} track); the law allows {months(low)} to {months(high)}."]
    if b.lesser:
        lines.append(f"The plea on offer is to a lesser offense, {b.lesser}: a charge bargain.")
    were, have, await_, negotiate = ("was", "has", "awaits", "negotiates") if lawyer_role else \
        ("were", "have", "await", "negotiate")
    if b.released:
        lines.append(f"{you.capitalize()} {were} released on bail during the investigation.")
    elif b.detained:
        where = words.in_detention if b.inside else "outside detention"
        lines.append(f"{you.capitalize()} {have} been detained for {b.days_since_arrest} working days and "
                     f"{negotiate} {where}.")
    else:
        lines.append(f"{you.capitalize()} {await_} trial at liberty.")
    if lawyer_role:
        role = "an advocate" if b.lawyer_role == "advocate" else "a witness who endorses the deal"
        lines.append(f"You are {b.lawyer}; the rules make your role that of {role}.")
    elif b.lawyer:
        role = "an advocate" if b.lawyer_role == "advocate" else "a witness who endorses the deal"
        lines.append(f"Your lawyer is {b.lawyer}, acting as {role}.")
    else:
        lines.append("No lawyer is at your side.")
    lines.append(f"The prosecutor says a trial would convict with probability {percent(b.stated)}.")
    if lawyer_role:
        lines.append(f"Your own reading of the file: {percent(b.own_belief)}. Your client believes "
                     f"{percent(b.client_belief)}.")
    elif b.lawyer:
        if b.lawyer_role == "advocate":
            lines.append(f"Your lawyer reads the file as {percent(b.advice)} and advises against accepting more "
                         f"than {months(max(0.0, b.advised_limit))}.")
        else:
            lines.append(f"Your lawyer relays the prosecutor's view ({percent(b.advice)}).")
    if not lawyer_role:
        lines.append(f"What you make of it: about {percent(b.own_belief)}.")
    lines.append(f"If convicted at trial, the sentence would be about {months(b.trial_sentence)} as {your} side "
                 "reads the file.")
    detention = "waiting in detention included" if b.detained else "not detained"
    lines.append(f"Going to trial costs {you} about {months(b.trial_cost)} of sentence on top ({detention}).")
    if b.mitigation > 0.05:
        lines.append(f"Mitigation the defense found: worth about {months(b.mitigation)} off.")
    if b.point == "offer" and b.days_left > 0:
        lines.append(f"The review must end within {b.days_left} working days.")
    rules = ["the court proposes the terms and records the agreement of suspect, lawyer and prosecutor" if b.court
             else "the suspect, the lawyer and the prosecutor all sign the agreement" if b.tripartite
             else "the suspect signs alone, a lawyer witnessing",
             f"a signed plea may be withdrawn before {words.filing}" if b.withdrawal_allowed
             else "a signed plea cannot be withdrawn"]
    lines.append(f"Under these rules {rules[0]}, and {rules[1]}.")
    return lines
