"""Repositories that map upstream Bazel labels onto Debian/Ubuntu system packages.

Packages: libabsl-dev libre2-dev libprotobuf-dev protobuf-compiler libgtest-dev
          libgmock-dev libbenchmark-dev pkg-config
Each repository is named like the upstream WORKSPACE name so project BUILD files
use the normal labels (@com_google_absl//absl/status:statusor, @re2//:re2, ...).
Headers live in /usr/include, which is a built-in include dir of Bazel's
auto-configured cc toolchain, so no hdrs are declared here.
"""

def _multiarch_libdir(rctx):
    r = rctx.execute(["gcc", "-print-multiarch"])
    arch = r.stdout.strip() if r.return_code == 0 else ""
    return "/usr/lib/" + arch if arch else "/usr/lib"

def _pkg_config_libs(rctx, module):
    r = rctx.execute(["pkg-config", "--libs", module])
    if r.return_code != 0:
        fail("pkg-config --libs %s failed (install the -dev package?):\n%s" % (module, r.stderr))
    return [f for f in r.stdout.replace("\n", " ").split(" ") if f]

# ---------------------------------------------------------------------------
# Abseil: generate one BUILD file per absl/<pkg> directory; every absl_<x>.pc
# becomes a cc_library whose linkopts come from pkg-config. Target names follow
# upstream: //absl/status:statusor, //absl/strings:str_format, //absl/flags:parse,
# //absl/random:random, //absl/types:optional, ...
# ---------------------------------------------------------------------------
_ABSL_EXTRA_ALIASES = {
    "flags": {"flag": "flags"},
}

def _absl_impl(rctx):
    libdir = _multiarch_libdir(rctx)
    pcdir = rctx.path(libdir + "/pkgconfig")
    modules = sorted([
        f.basename[:-len(".pc")]
        for f in pcdir.readdir()
        if f.basename.startswith("absl_") and f.basename.endswith(".pc")
    ])
    if not modules:
        fail("no absl_*.pc in %s: apt-get install libabsl-dev" % pcdir)
    libs = {m: _pkg_config_libs(rctx, m) for m in modules}
    r = rctx.execute(["find", "/usr/include/absl", "-mindepth", "1", "-maxdepth", "1", "-type", "d", "-printf", "%f\n"])
    pkgs = sorted([d for d in r.stdout.split("\n") if d])
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.file("BUILD.bazel", "")
    for pkg in pkgs:
        targets = {}
        for m in modules:
            targets[m[len("absl_"):]] = m
        for m in modules:
            short = m[len("absl_"):]
            if short.startswith(pkg + "_") and short[len(pkg) + 1:] not in targets:
                targets[short[len(pkg) + 1:]] = m
        for alias, target in _ABSL_EXTRA_ALIASES.get(pkg, {}).items():
            targets[alias] = "absl_" + target
        lines = ['package(default_visibility = ["//visibility:public"])', ""]
        for name in sorted(targets):
            lines.append("cc_library(name = %r, linkopts = %r)" % (name, libs[targets[name]]))
        rctx.file("absl/%s/BUILD.bazel" % pkg, "\n".join(lines) + "\n")

system_absl_repository = repository_rule(
    implementation = _absl_impl,
    environ = ["PKG_CONFIG_PATH"],
    local = True,
)

# ---------------------------------------------------------------------------
# Generic: symlink selected system files into the repo + use a checked-in BUILD.
# ---------------------------------------------------------------------------
def _system_repo_impl(rctx):
    libdir = _multiarch_libdir(rctx)
    for src, dst in rctx.attr.symlinks.items():
        src = src.replace("{libdir}", libdir)
        if not rctx.path(src).exists:
            fail("%s missing: install the matching Debian -dev package" % src)
        rctx.symlink(src, dst)
    for path, content in rctx.attr.files.items():
        rctx.file(path, content)
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.symlink(rctx.attr.build_file, "BUILD.bazel")

system_repository = repository_rule(
    implementation = _system_repo_impl,
    attrs = {
        "build_file": attr.label(mandatory = True, allow_single_file = True),
        "symlinks": attr.string_dict(),
        "files": attr.string_dict(doc = "path -> content of extra generated files"),
    },
    local = True,
)

_RULES_CC_DEFS = """\
\"\"\"Shim of @rules_cc//cc:defs.bzl for Bazel 4 (native C++ rules).\"\"\"
def cc_binary(**kwargs):
    native.cc_binary(**kwargs)

def cc_import(**kwargs):
    native.cc_import(**kwargs)

def cc_library(**kwargs):
    native.cc_library(**kwargs)

def cc_proto_library(**kwargs):
    native.cc_proto_library(**kwargs)

def cc_shared_library(**kwargs):
    native.cc_shared_library(**kwargs)

def cc_test(**kwargs):
    native.cc_test(**kwargs)

def cc_toolchain(**kwargs):
    native.cc_toolchain(**kwargs)

def cc_toolchain_suite(**kwargs):
    native.cc_toolchain_suite(**kwargs)

def fdo_prefetch_hints(**kwargs):
    native.fdo_prefetch_hints(**kwargs)

def fdo_profile(**kwargs):
    native.fdo_profile(**kwargs)

def objc_import(**kwargs):
    native.objc_import(**kwargs)

def objc_library(**kwargs):
    native.objc_library(**kwargs)
"""

def _rules_cc_shim_impl(rctx):
    rctx.file("WORKSPACE", "workspace(name = \"rules_cc\")\n")
    rctx.file("BUILD.bazel", "")
    rctx.file("cc/BUILD.bazel", "exports_files([\"defs.bzl\"])\n")
    rctx.file("cc/defs.bzl", _RULES_CC_DEFS)

rules_cc_shim = repository_rule(implementation = _rules_cc_shim_impl)

# cc_test has implicit deps on @remote_coverage_tools (a mirror.bazel.build zip).
# Stub it out: `bazel coverage` is unavailable offline, `bazel test` works.
_NO_COVERAGE_BUILD = """\
package(default_visibility = ["//visibility:public"])
sh_binary(name = "coverage_report_generator", srcs = ["unavailable.sh"])
sh_binary(name = "lcov_merger", srcs = ["unavailable.sh"])
"""

def _coverage_stub_impl(rctx):
    rctx.file("WORKSPACE", "workspace(name = \"remote_coverage_tools\")\n")
    rctx.file("unavailable.sh", "#!/bin/sh\necho 'coverage tools not available offline' >&2\nexit 1\n", executable = True)
    rctx.file("BUILD.bazel", _NO_COVERAGE_BUILD)

coverage_tools_stub = repository_rule(implementation = _coverage_stub_impl)

_WKT = ["any", "api", "descriptor", "duration", "empty", "field_mask",
        "source_context", "struct", "timestamp", "type", "wrappers"]

def system_cc_deps():
    # Bazel's DEFAULT.WORKSPACE.SUFFIX would http_archive these from GitHub;
    # Debian ships them (bazel-rules-cc, bazel-rules-proto, bazel-skylib, bazel-platforms).
    # Debian's bazel-rules-cc (0.0.4-2) needs Bazel >= 5 (use_cpp_toolchain), so
    # @rules_cc is a tiny shim re-exporting the native rules of Bazel 4.
    rules_cc_shim(name = "rules_cc")
    coverage_tools_stub(name = "remote_coverage_tools")
    native.local_repository(name = "rules_java", path = "/usr/share/bazel/rules/java")
    native.local_repository(name = "rules_proto", path = "/usr/share/bazel/rules/proto")
    native.local_repository(name = "bazel_skylib", path = "/usr/share/bazel/tools/skylib")
    system_absl_repository(name = "com_google_absl")
    system_repository(
        name = "com_googlesource_code_re2",
        build_file = "//third_party/system:re2.BUILD",
    )
    system_repository(name = "re2", build_file = "//third_party/system:re2.BUILD")
    system_repository(
        name = "com_google_protobuf",
        build_file = "//third_party/system:protobuf.BUILD",
        # Modern protobuf (>= 27) exposes its rules as @protobuf//bazel:*.bzl;
        # re-export Bazel 4's native rules under the same load paths.
        files = {
            "bazel/BUILD.bazel": "",
            "bazel/cc_proto_library.bzl": "def cc_proto_library(**kwargs):\n    native.cc_proto_library(**kwargs)\n",
            "bazel/proto_library.bzl": "def proto_library(**kwargs):\n    native.proto_library(**kwargs)\n",
        },
        symlinks = dict(
            [("/usr/bin/protoc", "protoc.bin")] +
            [("/usr/include/google/protobuf/%s.proto" % w, "google/protobuf/%s.proto" % w) for w in _WKT],
        ),
    )
    system_repository(
        name = "com_google_googletest",
        build_file = "//third_party/system:googletest.BUILD",
        symlinks = {
            "{libdir}/libgtest.a": "lib/libgtest.a",
            "{libdir}/libgtest_main.a": "lib/libgtest_main.a",
            "{libdir}/libgmock.a": "lib/libgmock.a",
            "{libdir}/libgmock_main.a": "lib/libgmock_main.a",
        },
    )
    system_repository(
        name = "com_github_google_benchmark",
        build_file = "//third_party/system:benchmark.BUILD",
        symlinks = {"{libdir}/libbenchmark_main.a": "lib/libbenchmark_main.a"},
    )

    # Bzlmod/BCR-style names too, so BUILD files written for MODULE.bazel work unchanged.
    system_absl_repository(name = "abseil-cpp")
    system_repository(name = "googletest", build_file = "//third_party/system:googletest.BUILD",
                      symlinks = {"{libdir}/lib%s.a" % l: "lib/lib%s.a" % l for l in ["gtest", "gtest_main", "gmock", "gmock_main"]})
    system_repository(name = "google_benchmark", build_file = "//third_party/system:benchmark.BUILD",
                      symlinks = {"{libdir}/libbenchmark_main.a": "lib/libbenchmark_main.a"})
