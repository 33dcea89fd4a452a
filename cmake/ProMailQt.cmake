# Qt habits from STYLE.md: no implicit ASCII casts, QStringBuilder, no narrowing in connect().
set(PROMAIL_QT_DEFINES QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER QT_NO_KEYWORDS QT_NO_FOREACH QT_DISABLE_DEPRECATED_BEFORE=0x060400)

function(promail_configure_target target)
    target_compile_options(${target} PRIVATE ${PROMAIL_WARNING_FLAGS})
    target_compile_definitions(${target} PRIVATE ${PROMAIL_QT_DEFINES})
endfunction()
