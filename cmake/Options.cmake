# Build options shared by every target of ordeal.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

option(ORDEAL_WERROR "Treat warnings as errors (on in CI)" OFF)
option(ORDEAL_BUILD_BENCH "Build the Google Benchmark programs" ON)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

# Warnings for ordeal's own code; applied per target through ordeal_warnings.
add_library(ordeal_warnings INTERFACE)
target_compile_options(ordeal_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
                       -Woverloaded-virtual -Wimplicit-fallthrough
                       # designated initializers that leave fields at their defaults are
                       # how ordeal builds messages: not a mistake worth a warning
                       -Wno-missing-field-initializers)
if(ORDEAL_WERROR)
  target_compile_options(ordeal_warnings INTERFACE -Werror)
endif()

# Assertions stay on in every build type: ordeal's invariants are checked even
# in release builds (see framework/assert.h), so NDEBUG is never what they rely on.
