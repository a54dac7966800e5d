"""The parts of the booklet a designer recognises, each with what it draws; `printing.booklet`
composes them into one document."""
