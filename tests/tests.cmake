# Test registration, included from the top-level CMakeLists.txt.
pkg_check_modules(CRITERION REQUIRED IMPORTED_TARGET criterion)

# The shared/ folder beside the checkout (or inside it) holds the reference
# data: trec_eval's tests, model goldens, the JUnit XSD. Tests that need it
# skip (exit 77) when it is absent.
find_path(PF_SHARED_DIR DESCRIPTION "shared/ reference data"
  NAMES DESIGN.md
  PATHS ${PROJECT_SOURCE_DIR}/shared ${PROJECT_SOURCE_DIR}/../shared
  NO_DEFAULT_PATH)
if(NOT PF_SHARED_DIR)
  set(PF_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared")
endif()

# One Criterion executable per tests/unit/<folder>/test_<module>.c, the
# folders mirroring the code (metrics, reports, and harness/'s layers):
# target test_<folder>_<module>, ctest name unit.<folder>.<module>.
file(GLOB_RECURSE PF_UNIT_TESTS CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/tests/unit/test_*.c)
# OpenMP threads that wait sleep instead of spinning: ctest runs tests
# side by side (and the catalogue four cases at a time), so a spinning
# thread burns the core another test's thread needs (the catalogue took
# 75 s wall, 72 s CPU spinning, 32 s passive). Results do not depend on it.
set(PF_TEST_ENV "OMP_WAIT_POLICY=passive")

foreach(src ${PF_UNIT_TESTS})
  get_filename_component(t ${src} NAME_WE)
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(folder ${dir} NAME)
  string(REGEX REPLACE "^test_" "" name ${t})
  set(t test_${folder}_${name})
  add_executable(${t} ${src})
  target_compile_definitions(${t} PRIVATE
    FIXTURES="${PROJECT_SOURCE_DIR}/tests/fixtures"
    SHARED_DIR="${PF_SHARED_DIR}"
    SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PREFLIGHT_BIN="$<TARGET_FILE:preflight_cli>")
  target_link_libraries(${t} PRIVATE preflight pf_options PkgConfig::CRITERION)
  add_test(NAME unit.${folder}.${name} COMMAND ${t} --jobs 2)
  set_tests_properties(unit.${folder}.${name} PROPERTIES LABELS unit TIMEOUT 300
    ENVIRONMENT "${PF_TEST_ENV}")
endforeach()

# Tests whose work is the checking (xmllint, jsonschema, python, a shell
# lint, an install) around preflight runs other tests make too: the
# sanitizer pass (Makefile test-asan) leaves them out by label nosan.
set(PF_NOSAN_TESTS lint.layers e2e.install e2e.report_html e2e.schemas
  e2e.readme_commands e2e.readme_scenarios)

# Shell-driven tests: tests/conformance/*.sh, tests/e2e/*.sh and
# tests/lint/*.sh (rules over the source tree), each run with
# the preflight binary, the source dir, the shared dir and a scratch dir.
foreach(kind conformance e2e lint)
  file(GLOB PF_SH_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${kind}/*.sh)
  foreach(src ${PF_SH_TESTS})
    get_filename_component(name ${src} NAME_WE)
    add_test(NAME ${kind}.${name}
      COMMAND bash ${src} $<TARGET_FILE:preflight_cli> ${PROJECT_SOURCE_DIR}
              ${PF_SHARED_DIR} ${CMAKE_CURRENT_BINARY_DIR}/testwork/${kind}.${name})
    set(label ${kind})
    if(name MATCHES "browser")
      set(label browser)	# headless Chromium; not run under ASan
    elseif(${kind}.${name} IN_LIST PF_NOSAN_TESTS)
      set(label "${kind};nosan")
    endif()
    set_tests_properties(${kind}.${name} PROPERTIES LABELS "${label}"
      SKIP_RETURN_CODE 77 TIMEOUT 600 ENVIRONMENT "${PF_TEST_ENV}")
  endforeach()
endforeach()

# test_model_gbdt checks the scorer against libxgboost's own C API.
find_library(PF_XGBOOST_LIB xgboost)
if(TARGET test_model_gbdt AND PF_XGBOOST_LIB)
  target_link_libraries(test_model_gbdt PRIVATE ${PF_XGBOOST_LIB})
endif()

# test_stages_plugin loads the example plugin and its broken variants
# (CMakeLists.txt) from the folder they are built in.
if(TARGET test_stages_plugin)
  target_compile_definitions(test_stages_plugin PRIVATE
    PLUGIN_DIR="$<TARGET_FILE_DIR:pf_plugin_example>")
  add_dependencies(test_stages_plugin pf_plugin_example pf_plugin_badabi
    pf_plugin_noentry)
endif()
