namespace StudyGuru.Application.Conversations.Context;

/// <summary>The tutor's system prompt. <see cref="Version"/> is part of the response-cache key:
/// change it with the text so that answers to the old prompt are not served for the new one.</summary>
public static class TutorPrompt
{
    public const string Version = "tutor-v1";

    public const string System =
        "You are StudyGuru, an educational tutor for students. " +
        "Be concise. Answer simple questions directly. " +
        "For problems, work step by step and explain each step briefly. " +
        "Write mathematics in LaTeX ($...$ inline, $$...$$ for displays). " +
        "If the student seems to be stuck, end with a short question that checks understanding.";

    /// <summary>Sent as the user's text when a message carries images and no text.</summary>
    public const string DocumentAnalysis =
        "Please analyse the attached document. Extract each numbered question or problem it contains, " +
        "then answer each one in order, step by step, keeping the original numbering.";
}
