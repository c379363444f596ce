#!/usr/bin/env python3
"""Calls tact's C API (tact/c_api.h) through ctypes: no compiler, no bindings.

    tact_ctypes.py LIBTACT POLICY CONTEXT_JSON [AUTHORITY]

prints the decision as JSON (exactly `tact decide --format=json`). LIBTACT is
the path of an installed libtact.so (or its name, found by the dynamic
loader). Any FFI (Go's cgo, Rust, Node, C#) follows the same few steps.
"""

import ctypes
import sys


class TactError(Exception):
    """A non-OK tact_status_t, with the library's message."""

    def __init__(self, lib, status, message):
        name = lib.tact_status_name(status).decode()
        super().__init__(f"{name}: {message}")
        self.status = status


def load(path):
    lib = ctypes.CDLL(path)
    c_char_pp = ctypes.POINTER(ctypes.c_char_p)
    handle = ctypes.c_void_p
    sigs = {
        "tact_version": (ctypes.c_char_p, []),
        "tact_status_name": (ctypes.c_char_p, [ctypes.c_int]),
        "tact_free": (None, [ctypes.c_void_p]),
        "tact_engine_create_from_file": (
            ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(handle), c_char_pp]),
        "tact_engine_destroy": (None, [handle]),
        "tact_engine_policy_hash": (ctypes.c_char_p, [handle]),
        "tact_decide_options_create": (handle, []),
        "tact_decide_options_destroy": (None, [handle]),
        "tact_decide_options_set_authority": (
            ctypes.c_int, [handle, ctypes.c_char_p, ctypes.c_size_t]),
        "tact_engine_decide_json": (
            ctypes.c_int,
            [handle, handle, ctypes.c_char_p, ctypes.c_size_t,
             ctypes.POINTER(handle), c_char_pp]),
        "tact_decision_destroy": (None, [handle]),
        # char** out-parameters that the caller frees: declared as void** so
        # ctypes keeps the raw pointer for tact_free.
        "tact_decision_to_json": (
            ctypes.c_int,
            [handle, ctypes.c_uint8, ctypes.POINTER(ctypes.c_void_p),
             ctypes.POINTER(ctypes.c_size_t), c_char_pp]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def _check(lib, status, err):
    # err is a char* the library allocated; copy it, then free it.
    if status != 0:
        message = ctypes.cast(err, ctypes.c_char_p).value.decode() if err else ""
        lib.tact_free(err)
        raise TactError(lib, status, message)


def decide(lib, policy_path, context_json, authority=""):
    err = ctypes.c_char_p()
    engine = ctypes.c_void_p()
    options = None
    decision = ctypes.c_void_p()
    try:
        status = lib.tact_engine_create_from_file(
            policy_path.encode(), ctypes.byref(engine), ctypes.byref(err))
        _check(lib, status, ctypes.cast(err, ctypes.c_void_p).value)
        options = lib.tact_decide_options_create()
        raw = authority.encode()
        lib.tact_decide_options_set_authority(options, raw, len(raw))
        context = context_json.encode()
        status = lib.tact_engine_decide_json(
            engine, options, context, len(context), ctypes.byref(decision),
            ctypes.byref(err))
        _check(lib, status, ctypes.cast(err, ctypes.c_void_p).value)
        out = ctypes.c_void_p()
        out_len = ctypes.c_size_t()
        status = lib.tact_decision_to_json(
            decision, 1, ctypes.byref(out), ctypes.byref(out_len),
            ctypes.byref(err))
        _check(lib, status, ctypes.cast(err, ctypes.c_void_p).value)
        try:
            return ctypes.string_at(out, out_len.value).decode()
        finally:
            lib.tact_free(out)
    finally:
        lib.tact_decision_destroy(decision)
        lib.tact_decide_options_destroy(options)
        lib.tact_engine_destroy(engine)


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    lib = load(argv[1])
    with open(argv[3], encoding="utf-8") as f:
        context_json = f.read()
    try:
        json = decide(lib, argv[2], context_json, argv[4] if len(argv) == 5 else "")
    except TactError as e:
        print(f"tact {lib.tact_version().decode()}: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(json if json.endswith("\n") else json + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
