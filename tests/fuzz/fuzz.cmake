# libFuzzer targets (tests/fuzz/README.md), included from the top-level
# CMakeLists.txt when PF_FUZZ is on: one executable fuzz_<name> per
# tests/fuzz/fuzz_<name>.c, linked with -fsanitize=fuzzer,address,undefined,
# and the library compiled with -fsanitize=fuzzer-no-link,address,undefined
# (through pf_options, which every library target links privately) so the
# fuzzer sees the parsers' coverage. `make fuzz` builds only the targets
# (target pf_fuzz), never the CLI, the tests or the benchmarks.
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "PF_FUZZ needs clang (libFuzzer): "
    "CC=clang cmake -DPF_FUZZ=ON ...")
endif()
if(PF_SANITIZE)
  message(FATAL_ERROR "PF_FUZZ brings its own sanitizers; leave PF_SANITIZE empty")
endif()
# -O1: the build is most of `make test`'s fuzz step on two cores, and -O1
# keeps ASan's reports precise; asserts stay on whatever the build type
# (-UNDEBUG undoes its -DNDEBUG): a failed assert on some input is a
# finding.
target_compile_options(pf_options INTERFACE -O1 -g -UNDEBUG
  -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
  -fno-sanitize-recover=all)
target_link_options(pf_options INTERFACE -fsanitize=address,undefined)

# The targets reach only the loaders and what they stand on: half of
# libpreflight's sources, compiled again into pf_fuzz_lib (libpreflight's
# dependencies, the same list) so `make fuzz` builds no analysis, decide,
# check, cli or reports code. A loader moved to another folder is a
# missing symbol here, at link time.
set(H ${PROJECT_SOURCE_DIR}/harness)
file(GLOB PF_FUZZ_LIB_SRC CONFIGURE_DEPENDS ${H}/load/*.c ${H}/util/*.c
  ${H}/model/*.c ${H}/stages/*.c ${H}/text/*.c ${H}/engine/eval*.c)
add_library(pf_fuzz_lib STATIC ${PF_FUZZ_LIB_SRC})
target_link_libraries(pf_fuzz_lib
  PUBLIC  pf_metrics OpenMP::OpenMP_C PkgConfig::OPENBLAS PkgConfig::JANSSON
          PkgConfig::XXHASH LibXml2::LibXml2 OpenSSL::Crypto ${CMAKE_DL_LIBS}
          ${STEMMER_LIBRARY} ZLIB::ZLIB
  PRIVATE pf_options)
target_include_directories(pf_fuzz_lib PRIVATE ${PROJECT_BINARY_DIR}/gen
  ${STEMMER_INCLUDE_DIR})
# The gbdt scoring kernels are always-inlined, unrolled code that clang
# takes minutes to optimise once ASan has instrumented it (-O1: 178 s
# and 94 s for kernels.c and kernels_avx2.c, 30 s for everything else
# together, measured on the two-core CI machine); at -O0 they compile in
# seconds, and the targets score only a few rows with them.
file(GLOB PF_FUZZ_KERNELS CONFIGURE_DEPENDS ${H}/model/kernels*.c)
set_source_files_properties(${PF_FUZZ_KERNELS} PROPERTIES COMPILE_OPTIONS -O0)

file(GLOB PF_FUZZ_TARGETS CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
add_custom_target(pf_fuzz)
foreach(src ${PF_FUZZ_TARGETS})
  get_filename_component(t ${src} NAME_WE)
  add_executable(${t} ${src} ${PROJECT_SOURCE_DIR}/tests/fuzz/input.c)
  target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${t} PRIVATE pf_fuzz_lib pf_options)
  target_link_options(${t} PRIVATE -fsanitize=fuzzer)
  add_dependencies(pf_fuzz ${t})
endforeach()
