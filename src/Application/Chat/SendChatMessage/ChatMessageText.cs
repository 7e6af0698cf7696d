namespace StudyGuru.Application.Chat.SendChatMessage;

/// <summary>The question of a UI message: its text parts joined; other part types carry nothing for the tutor.</summary>
public static class ChatMessageText
{
    public const string TextPart = "text";
    public const string FilePart = "file";

    public static string Join(ChatMessageInput message) =>
        string.Join("\n", message.Parts.Where(p => p.Type == TextPart && !string.IsNullOrEmpty(p.Text)).Select(p => p.Text));
}
