using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StudyGuru.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AiSdkChatIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChatId",
                table: "Interactions",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Interactions_UserId_ChatId",
                table: "Interactions",
                columns: new[] { "UserId", "ChatId" },
                unique: true,
                filter: "ChatId IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Interactions_UserId_ChatId",
                table: "Interactions");

            migrationBuilder.DropColumn(
                name: "ChatId",
                table: "Interactions");
        }
    }
}
