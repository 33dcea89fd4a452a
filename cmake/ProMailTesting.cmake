# Test helpers. Unit tests: every tests/unit/tst_*.cpp is one QtTest executable and one ctest test.
# Fuzz targets: libFuzzer binaries with PROMAIL_FUZZING=ON; otherwise the same entry point is
# linked to a small driver that replays the checked-in corpus, so every build runs it as a test.

function(promail_add_qtest source)
    cmake_parse_arguments(ARG "" "LABEL" "LIBS" ${ARGN})
    get_filename_component(name ${source} NAME_WE)
    add_executable(${name} ${source})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    promail_configure_target(${name})
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    add_test(NAME ${ARG_LABEL}.${name} COMMAND ${name})
    set_tests_properties(${ARG_LABEL}.${name} PROPERTIES LABELS ${ARG_LABEL} ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
        TIMEOUT 300)
endfunction()

function(promail_add_fuzzer name source)
    cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
    add_executable(${name} ${source})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS})
    promail_configure_target(${name})
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
    if(PROMAIL_FUZZING)
        target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    else()
        target_sources(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz/replaymain.cpp)
        add_test(NAME fuzz.${name} COMMAND ${name} ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
        set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT 120)
    endif()
endfunction()

function(promail_add_pytest name script)
    find_program(PYTHON3 python3 REQUIRED)
    add_test(NAME ${name} COMMAND ${PYTHON3} ${script} -v
        WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/tests/integration)
    set_tests_properties(${name} PROPERTIES LABELS integration TIMEOUT 600
        ENVIRONMENT "PROMAIL_BIN_DIR=${CMAKE_BINARY_DIR}/bin;PROMAIL_SOURCE_DIR=${PROJECT_SOURCE_DIR};PYTHONDONTWRITEBYTECODE=1")
endfunction()
