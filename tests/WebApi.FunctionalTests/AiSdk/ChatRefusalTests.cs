using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Infrastructure.Persistence;
using StudyGuru.WebApi.FunctionalTests.Media;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.AiSdk;

/// <summary>A chat request refused before its stream stores nothing: not even the inline images it carried.</summary>
public sealed class ChatRefusalTests
{
    [Test]
    public async Task Post_WithAnInlineImage_RefusedWith402_LeavesNoUploadBehind()
    {
        await using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Points:SignupBonus"] = "0" });
        using var client = factory.CreateClient();
        var student = await client.RegisterAsync();
        var png = ImageSamples.Png(1, 2, 3);
        var file = new { type = "file", mediaType = "image/png", filename = "a.png", url = $"data:image/png;base64,{Convert.ToBase64String(png)}" };

        var refused = await client.SendAsync(student.Token,
            ChatClient.Body(ChatClient.NewChatId(), [ChatClient.UserMessage("q1", "What is in this picture?", file)]));

        Assert.That(refused.Status, Is.EqualTo(402), refused.Raw);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudyGuruDbContext>();
        Assert.That(await db.MediaFiles.CountAsync(m => m.UserId == student.Id), Is.Zero, "no media record of the refused request");
        var mediaRoot = Path.Combine(factory.DataDirectory, "media");
        var leftover = Directory.Exists(mediaRoot) ? Directory.GetFiles(mediaRoot, "*", SearchOption.AllDirectories) : [];
        Assert.That(leftover, Is.Empty, "no bytes of the refused request");
    }
}
