#!/usr/bin/env python3
"""Independent reference values for Folio's portfolio engine.

Generates random activity streams for a single cash-tracking EUR account holding EUR
and USD assets, computes holdings, cash, daily values, time-weighted return and XIRR
with a separate implementation (Python's `decimal` for money, `pyxirr` for XIRR), and
writes them to crates/folio-core/tests/data/oracle.json. The Rust tests read that file;
they never run this script.

Usage:  pip install -r tools/oracle/requirements.txt
        python3 tools/oracle/generate.py [--scenarios 25] [--seed 20240101]
"""

import argparse
import datetime as dt
import json
import random
from decimal import ROUND_HALF_EVEN, Decimal, getcontext
from pathlib import Path

from pyxirr import xirr

getcontext().prec = 60  # far beyond rust_decimal's 28 digits: products are exact here
TEN_DP = Decimal("1e-10")
OUT = Path(__file__).resolve().parents[2] / "crates/folio-core/tests/data/oracle.json"


def days(start, n):
    return [start + dt.timedelta(days=i) for i in range(n)]


def walk(rng, dates, start, step_bp):
    """A price walk with 4 decimals, skipping weekends (to exercise carry-forward)."""
    out, p = {}, Decimal(start)
    for d in dates:
        if d.weekday() >= 5:
            continue
        p = max(Decimal("0.5"), (p * (1 + Decimal(rng.randint(-step_bp, step_bp)) / 10000)).quantize(Decimal("0.0001")))
        out[d] = p
    return out


def latest(series, day):
    best = None
    for d in series:
        if d <= day and (best is None or d > best):
            best = d
    return best


class Book:
    """FIFO lots per asset: [acquired, quantity, cost_base]."""

    def __init__(self):
        self.lots, self.realized, self.income = {}, {}, {}

    def qty(self, a):
        return sum(l[1] for l in self.lots.get(a, []))

    def cost(self, a):
        return sum(l[2] for l in self.lots.get(a, []))

    def take(self, a, q):
        taken, left, lots = Decimal(0), q, self.lots[a]
        while left > 0:
            lot = lots[0]
            if left >= lot[1]:
                taken += lot[2]
                left -= lot[1]
                lots.pop(0)
            else:
                part = (lot[2] * left / lot[1]).quantize(TEN_DP, rounding=ROUND_HALF_EVEN)
                lot[1] -= left
                lot[2] -= part
                taken += part
                left = Decimal(0)
        return taken


def scenario(rng, idx):
    start = dt.date(2022, 1, 3) + dt.timedelta(days=rng.randint(0, 700))
    n_days = rng.randint(60, 240)
    dates = days(start, n_days)
    assets = {10: "EUR", 11: "USD", 12: "EUR"}
    prices = {a: walk(rng, dates, rng.randint(20, 400), 300) for a in assets}
    fx = walk(rng, dates, "0.9", 80)
    acts, held, cash, next_id = [], {a: Decimal(0) for a in assets}, Decimal(0), 1
    splits = {}
    for d in dates:
        if d.weekday() >= 5 or (acts and rng.random() < 0.4):
            continue
        r = fx[latest(fx, d)] if latest(fx, d) else None
        kind = "DEPOSIT" if not acts else rng.choices(["DEPOSIT", "BUY", "SELL", "DIVIDEND", "FEE", "WITHDRAWAL", "SPLIT"], [8, 30, 15, 8, 3, 3, 1])[0]
        a = rng.choice(list(assets))
        act = {"id": next_id, "kind": kind, "date": d.isoformat(), "asset": None, "quantity": "0",
               "unit_price": "0", "amount": "0", "fee": "0", "tax": "0", "currency": "EUR"}
        price = prices[a][latest(prices[a], d)] if latest(prices[a], d) else None
        fx_a = Decimal(1) if assets[a] == "EUR" else r
        if kind == "DEPOSIT":
            amt = Decimal(rng.randint(1000, 20000))
            act["amount"] = str(amt)
            cash += amt
        elif kind in ("WITHDRAWAL", "FEE") and cash > 100:
            amt = Decimal(rng.randint(1, int(cash / 2)) if kind == "WITHDRAWAL" else rng.randint(1, 30))
            act["amount"] = str(amt)
            cash -= amt
        elif kind == "BUY" and price is not None and fx_a is not None:
            q = Decimal(rng.randint(1, 5000)) / 100
            fee = Decimal(rng.randint(0, 999)) / 100
            if (q * price + fee) * fx_a > cash:
                continue
            act.update(asset=a, quantity=str(q), unit_price=str(price), fee=str(fee), currency=assets[a])
            held[a] += q
            cash -= (q * price + fee) * fx_a
        elif kind == "SELL" and held[a] > 0:
            q = held[a] if rng.random() < 0.2 else (held[a] * Decimal(rng.randint(1, 99)) / 100).quantize(Decimal("0.0001"))
            if q <= 0:
                continue
            act.update(asset=a, quantity=str(q), unit_price=str(price), fee=str(Decimal(rng.randint(0, 999)) / 100), currency=assets[a])
            held[a] -= q
            cash += q * price * fx_a
        elif kind == "DIVIDEND" and held[a] > 0:
            amt = Decimal(rng.randint(100, 5000)) / 100
            act.update(asset=a, amount=str(amt), tax=str((amt * Decimal("0.15")).quantize(Decimal("0.01"))), currency=assets[a])
        elif kind == "SPLIT" and held[a] > 0 and a not in splits and prices[a].get(d):
            ratio = rng.choice([Decimal(2), Decimal(3), Decimal("0.5")])
            act.update(asset=a, quantity=str(ratio), currency=assets[a])
            held[a] *= ratio
            splits[a] = (d, ratio)
            for pd in [p for p in prices[a] if p >= d]:
                prices[a][pd] = (prices[a][pd] / ratio).quantize(Decimal("0.0001"))
        else:
            continue
        acts.append(act)
        next_id += 1
    return {"name": f"oracle-{idx}", "base": "EUR", "end": dates[-1].isoformat(),
            "assets": [{"id": a, "currency": c} for a, c in assets.items()],
            "prices": {str(a): [[d.isoformat(), str(p)] for d, p in sorted(s.items())] for a, s in prices.items()},
            "fx_usd_eur": [[d.isoformat(), str(r)] for d, r in sorted(fx.items())],
            "activities": acts}, prices, fx, splits, dates


def rate(fx, ccy, day):
    if ccy == "EUR":
        return Decimal(1)
    d = latest(fx, day)
    if d is None:
        raise ValueError("missing fx")
    return fx[d]


def reference(sc, prices, fx, splits, dates):
    """Replays the activities with the documented semantics and values every day."""
    book, cash, assets = Book(), Decimal(0), {a["id"]: a["currency"] for a in sc["assets"]}
    acts = sorted(sc["activities"], key=lambda a: (a["date"], RANK[a["kind"]], a["id"]))
    first = dt.date.fromisoformat(acts[0]["date"])
    series, flows, i = [], [], 0
    for day in [d for d in dates if d >= first]:
        inflow = outflow = Decimal(0)
        while i < len(acts) and dt.date.fromisoformat(acts[i]["date"]) == day:
            f = apply(book, acts[i], assets, fx, day)
            cash += f["cash"]
            inflow += max(f["flow"], 0)
            outflow += max(-f["flow"], 0)
            if f["flow"]:
                flows.append((day, -f["flow"]))
            i += 1
        mv = Decimal(0)
        for a, c in assets.items():
            q = book.qty(a)
            if q == 0:
                continue
            pd = latest(prices[a], day)
            if pd is None:
                mv += book.cost(a)
                continue
            p = prices[a][pd]
            if a in splits and pd < splits[a][0] <= day:
                p = p / splits[a][1]
            mv += q * p * rate(fx, c, day)
        series.append((day, mv + cash, inflow, outflow))
    return book, cash, series, flows


RANK = {"SPLIT": 0, "DEPOSIT": 1, "TRANSFER_OUT": 2, "TRANSFER_IN": 3, "BUY": 4, "SELL": 5,
        "DIVIDEND": 6, "INTEREST": 7, "FEE": 8, "TAX": 9, "WITHDRAWAL": 10}


def apply(book, act, assets, fx, day):
    kind, a = act["kind"], act["asset"]
    q, p, amt = Decimal(act["quantity"]), Decimal(act["unit_price"]), Decimal(act["amount"])
    fee, tax = Decimal(act["fee"]), Decimal(act["tax"])
    r = rate(fx, act["currency"], day)
    if kind == "DEPOSIT":
        return {"cash": amt * r, "flow": amt * r}
    if kind == "WITHDRAWAL":
        return {"cash": -amt * r, "flow": -amt * r}
    if kind == "FEE":
        return {"cash": -amt * r, "flow": 0}
    if kind == "BUY":
        book.lots.setdefault(a, []).append([day, q, (q * p + fee) * r])
        return {"cash": -((q * p + fee) * r).quantize(TEN_DP, rounding=ROUND_HALF_EVEN) if r != 1 else -(q * p + fee), "flow": 0}
    if kind == "SELL":
        cost = book.take(a, q)
        book.realized[a] = book.realized.get(a, 0) + (q * p - fee) * r - cost
        net = (q * p - fee) * r
        return {"cash": net.quantize(TEN_DP, rounding=ROUND_HALF_EVEN) if r != 1 else net, "flow": 0}
    if kind == "DIVIDEND":
        book.income[a] = book.income.get(a, 0) + amt * r
        net = (amt - tax) * r
        return {"cash": net.quantize(TEN_DP, rounding=ROUND_HALF_EVEN) if r != 1 else net, "flow": 0}
    if kind == "SPLIT":
        for lot in book.lots.get(a, []):
            lot[1] *= q
        return {"cash": Decimal(0), "flow": 0}
    raise ValueError(kind)


def twr(series):
    factor, prev = Decimal(1), Decimal(0)
    for _, v, i, o in series:
        start = prev + i
        if start > 0:
            factor *= max(Decimal(0), (v + o) / start)
        prev = v
    return factor - 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", type=int, default=25)
    ap.add_argument("--seed", type=int, default=20240101)
    args = ap.parse_args()
    rng, out = random.Random(args.seed), []
    for idx in range(args.scenarios):
        sc, prices, fx, splits, dates = scenario(rng, idx)
        fx_by_date = fx
        book, cash, series, flows = reference(sc, prices, fx_by_date, splits, dates)
        end_day, end_value = series[-1][0], series[-1][1]
        try:
            x = xirr([d for d, _ in flows] + [end_day], [float(a) for _, a in flows] + [float(end_value)])
        except Exception:  # noqa: BLE001 - no root is a valid reference outcome
            x = None
        sc["expected"] = {
            "cash": str(cash),
            "end_value": str(end_value),
            "values": [str(v) for _, v, _, _ in series],
            "twr_max": str(twr(series)),
            "xirr_max": x,
            "holdings": {str(a): {"quantity": str(book.qty(a)), "cost_basis": str(book.cost(a)),
                                  "realized": str(book.realized.get(a, 0)), "income": str(book.income.get(a, 0))}
                         for a in sorted({a["id"] for a in sc["assets"]})},
        }
        out.append(sc)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"generator": "tools/oracle/generate.py", "seed": args.seed, "scenarios": out}, indent=1))
    print(f"wrote {len(out)} scenarios to {OUT}")


if __name__ == "__main__":
    main()
