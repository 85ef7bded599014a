"""Writes the small .npy fixtures NpyTest reads (run with /usr/bin/python3; needs numpy).

Each array's values are a simple formula the Java test recomputes, so the fixtures are
self-checking: value[i] = i * 0.5 - 3 (float), i - 4 (int), i * 20 % 256 (uint8).
"""
import numpy as np
from pathlib import Path

here = Path(__file__).parent
np.save(here / "f4_2x3x4.npy", (np.arange(24, dtype=np.float32) * 0.5 - 3).reshape(2, 3, 4))
np.save(here / "f8_5.npy", np.arange(5, dtype=np.float64) * 0.5 - 3)
np.save(here / "i4_3x2.npy", (np.arange(6, dtype=np.int32) - 4).reshape(3, 2))
np.save(here / "i8_4.npy", np.arange(4, dtype=np.int64) - 4)
np.save(here / "u1_2x2x3.npy", (np.arange(12) * 20 % 256).astype(np.uint8).reshape(2, 2, 3))
np.save(here / "f4_scalar.npy", np.float32(-3.0))
np.save(here / "fortran_2x3.npy", np.asfortranarray((np.arange(6, dtype=np.float32) * 0.5 - 3).reshape(2, 3)))
with open(here / "f4_v2_3x1.npy", "wb") as f:
    np.lib.format.write_array(f, (np.arange(3, dtype=np.float32) * 0.5 - 3).reshape(3, 1), version=(2, 0))
np.save(here / "c8_2.npy", np.zeros(2, dtype=np.complex64))
