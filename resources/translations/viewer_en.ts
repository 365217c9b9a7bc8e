<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>DistrictTreeModel</name>
    <message numerus="yes">
        <source>%1, %n matches</source>
        <translation>
            <numerusform>%1, %n match</numerusform>
            <numerusform>%1, %n matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message numerus="yes">
        <source>%n matches</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Importing %n file(s)…</source>
        <translation>
            <numerusform>Importing %n file…</numerusform>
            <numerusform>Importing %n files…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bulletin(s) imported</source>
        <translation>
            <numerusform>%n bulletin imported</numerusform>
            <numerusform>%n bulletins imported</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already in the archive</source>
        <translation>
            <numerusform>%n already in the archive</numerusform>
            <numerusform>%n already in the archive</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message numerus="yes">
        <source>%n matches</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> in %n districts</source>
        <translation>
            <numerusform> in %n district</numerusform>
            <numerusform> in %n districts</numerusform>
        </translation>
    </message>
</context>
</TS>
