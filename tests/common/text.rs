//! Hand-written running text for the layout tests' fixtures: sentences
//! of the kind the series prints, combined into paragraphs by a seed, so
//! that each fixture gets varied but reproducible text.

/// Sentences the fixtures' paragraphs are made of.
pub const SENTENCES: &[&str] = &[
    "The Bolshevik party that led the revolution had risked being left behind just a few months earlier.",
    "A new, unstable system of “dual power” replaced the old Tsarist government after the February revolution.",
    "But a network of workers’ councils—or soviets—rivalled the power of the government.",
    "They were in danger, as Trotsky wrote, of becoming a “loyal opposition”.",
    "Workers and peasants had to take power through the soviets, putting the land and the banks under their control.",
    "At first barely any of the leaders supported him.",
    "Many were shocked by the argument that the revolution would not immediately lead to a struggle for socialism.",
    "By the end of April the position had won out, and the arguments went into the soviets.",
    "The railway workers struck for three days and the government could not move a single regiment.",
    "In the factories the committees met every evening to decide what the next day would bring.",
];

/// A paragraph of `n` sentences, chosen by `seed`.
pub fn paragraph(seed: usize, n: usize) -> String {
    (0..n)
        .map(|i| SENTENCES[(seed * 7 + i * 3) % SENTENCES.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// `count` paragraphs of one to four sentences, separated by blank lines.
pub fn paragraphs(seed: usize, count: usize) -> String {
    (0..count)
        .map(|p| paragraph(seed + p, 1 + (seed + p * 5) % 4))
        .collect::<Vec<_>>()
        .join("\n\n")
}
