# `cmake --install` layout and the CMake package that other projects find with
# `find_package(ordeal)`:
#
#   find_package(ordeal 0.1 CONFIG REQUIRED)
#   target_link_libraries(my_tests PRIVATE ordeal::framework ordeal::properties ordeal::gtest)
#   target_link_libraries(my-ordeal PRIVATE ordeal::cli ordeal::properties)  # own command line
#
# Every library in ORDEAL_EXPORTED_LIBRARIES is installed and exported as
# ordeal::<its name without the ordeal_ prefix>. A new library joins the
# package with one line in that list; it must name ordeal_warnings as
# $<BUILD_INTERFACE:ordeal_warnings> and its include folder through
# $<BUILD_INTERFACE:...>, so that neither leaks into the export. A new external
# dependency of an exported library goes into cmake/ordealConfig.cmake.in.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ORDEAL_EXPORTED_LIBRARIES
    ordeal_base
    ordeal_faults
    ordeal_exchange
    ordeal_exchange_live
    ordeal_proxy
    ordeal_fix_engine
    ordeal_fix
    ordeal_fix_target
    ordeal_report_assets
    ordeal_framework
    ordeal_cluster
    ordeal_cli
    ordeal_properties)
set(ORDEAL_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ordeal)

foreach(library IN LISTS ORDEAL_EXPORTED_LIBRARIES)
  string(REGEX REPLACE "^ordeal_" "" export_name ${library})
  set_target_properties(${library} PROPERTIES EXPORT_NAME ${export_name})
endforeach()

# The properties are an OBJECT library: installed as object files, so that a
# consumer links every property's registration, as ordeal's own programs do.
install(TARGETS ${ORDEAL_EXPORTED_LIBRARIES}
        EXPORT ordealTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        OBJECTS DESTINATION ${CMAKE_INSTALL_LIBDIR}/ordeal/objects
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT ordealTargets NAMESPACE ordeal:: DESTINATION ${ORDEAL_PACKAGE_DIR})

# The GoogleTest integration is exported on its own, so that the package
# loads without GoogleTest and ordeal::gtest appears when GoogleTest is found.
set_target_properties(ordeal_gtest PROPERTIES EXPORT_NAME gtest)
install(TARGETS ordeal_gtest EXPORT ordealGtestTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT ordealGtestTargets NAMESPACE ordeal:: DESTINATION ${ORDEAL_PACKAGE_DIR})

# Headers keep their paths: #include "framework/run/runner.h" works the same
# in the tree and against the installed package.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/framework ${PROJECT_SOURCE_DIR}/faults
                  ${PROJECT_SOURCE_DIR}/targets
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h"
        PATTERN "cli" EXCLUDE
        PATTERN "shipped_scenarios.h" EXCLUDE  # ordeal's own tests', from its source tree
        PATTERN "testdata" EXCLUDE)
# Of the command line, only its entry point: the rest is its own.
install(FILES ${PROJECT_SOURCE_DIR}/framework/cli/command_line.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/framework/cli)

install(TARGETS ordeal exchange-node RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/ordealConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/ordealConfig.cmake
                              INSTALL_DESTINATION ${ORDEAL_PACKAGE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ordealConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ordealConfig.cmake
              ${PROJECT_BINARY_DIR}/ordealConfigVersion.cmake
        DESTINATION ${ORDEAL_PACKAGE_DIR})
