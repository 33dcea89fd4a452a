# PROMAIL_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer for every target.
if(PROMAIL_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# PROMAIL_FUZZING=ON: instrument everything for libFuzzer (clang only).
if(PROMAIL_FUZZING)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "PROMAIL_FUZZING=ON needs clang: cmake -DCMAKE_CXX_COMPILER=clang++ ...")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()
