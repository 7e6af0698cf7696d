namespace StudyGuru.Infrastructure.Ai.Offline;

/// <summary>
/// The offline tutor's answers to messages that are not arithmetic: the topic restated, three numbered
/// steps and a question that checks understanding. Each template is 60-120 words with any topic of up to
/// <see cref="OfflineAnswerComposer.MaxTopicWords"/> words; a stable hash of the message picks one.
/// </summary>
internal static class TutorAnswerTemplates
{
    private static readonly Func<string, string>[] Templates =
    [
        topic => $"Good question about \"{topic}\". Let's work through it together, step by step.\n"
            + "1. Restate the question in your own words and note what it is really asking.\n"
            + "2. List the facts, definitions or formulas you already know that connect to it.\n"
            + "3. Apply them one at a time, checking each step before moving on, then write a short conclusion.\n"
            + $"To check your understanding: how would you explain \"{topic}\" to a classmate in two sentences?",
        topic => $"Let's look at \"{topic}\". A clear method makes this much easier to learn and remember.\n"
            + "1. Identify the key idea behind the question and the words that matter most.\n"
            + "2. Break the problem into smaller parts and solve or explain each part in order.\n"
            + "3. Review your answer against a simple example, and fix anything that does not fit.\n"
            + "Check your understanding: which of these three steps felt hardest for this topic, and why?",
        topic => $"You asked about \"{topic}\". Here is a tutor's approach you can reuse for similar questions.\n"
            + "1. Start from the basics: define every term in the question so that nothing stays vague.\n"
            + "2. Connect those definitions through one worked example, saying why each move is allowed.\n"
            + "3. Summarise the result in one sentence and compare it with what you expected at the start.\n"
            + $"Quick check: can you give a new example of \"{topic}\" and explain it without your notes?",
    ];

    public static string Write(string topic, uint hash) => Templates[hash % (uint)Templates.Length](topic);

    /// <summary>For a message that is only images: how to analyse a document.</summary>
    public static string WriteDocumentAnalysis(string acknowledgement) =>
        $"{acknowledgement} Let's analyse the document step by step.\n"
        + "1. Read the whole page once and note its title, headings and any labelled figures or tables.\n"
        + "2. Pick out the key facts, numbers or equations, and write each one in your own words.\n"
        + "3. Work through any question on it in order, showing each step and checking units and signs.\n"
        + "To check your understanding: which part of the document would you like me to explain in more detail?";
}
